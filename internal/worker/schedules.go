package worker

import (
	"context"
	"time"
)

// DispatchReports runs the report schedules that are due, every minute: it
// claims each one's run, sets its next run and queues the delivery for the
// RunScheduledReport job (domain.Schedules.Dispatch).
var DispatchReports = Work{"DispatchReports", dispatchReports}

// dispatchedJSON is what a sweep did, for its log line.
type dispatchedJSON struct {
	At               time.Time `json:"at"`
	Due              int       `json:"due"`
	Claimed          int       `json:"claimed"`
	AlreadyDelivered int       `json:"alreadyDelivered"`
	Moved            int       `json:"moved"`
	Failed           int       `json:"failed"`
}

func dispatchReports(s *Services) run {
	return func(ctx context.Context, _ []byte) (any, error) {
		d, err := s.Schedules.DispatchNow(ctx)
		if err != nil {
			return nil, err
		}
		return dispatchedJSON{At: d.At, Due: d.Due, Claimed: d.Claimed, AlreadyDelivered: d.AlreadyDelivered, Moved: d.Moved, Failed: d.Failed}, nil
	}
}
