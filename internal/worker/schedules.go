package worker

import (
	"context"
	"fmt"
	"time"

	"proportal/internal/domain"
)

// DispatchReports runs the report schedules that are due, every minute: it
// claims each one's run, sets its next run and queues the delivery for the
// RunScheduledReport job (domain.Schedules.Dispatch). An event with "at"
// runs it as if it were then (portalctl run-schedules).
var DispatchReports = Work{"DispatchReports", dispatchReports}

// dispatchedJSON is what a sweep did, for its log line and portalctl.
type dispatchedJSON struct {
	At               time.Time            `json:"at"`
	Due              int                  `json:"due"`
	Claimed          int                  `json:"claimed"`
	AlreadyDelivered int                  `json:"alreadyDelivered"`
	Moved            int                  `json:"moved"`
	Failed           int                  `json:"failed"`
	Deliveries       []queuedDeliveryJSON `json:"deliveries,omitempty"`
}

// queuedDeliveryJSON is a delivery the sweep queued.
type queuedDeliveryJSON struct {
	OrgID      string `json:"orgId"`
	ScheduleID string `json:"scheduleId"`
	DeliveryID string `json:"deliveryId"`
	From       string `json:"from"`
	To         string `json:"to"`
	Recipients int    `json:"recipients"`
	Status     string `json:"status"`
}

func dispatchReports(s *Services) run {
	return func(ctx context.Context, at []byte) (any, error) {
		var d domain.Dispatched
		var err error
		if len(at) == 0 {
			d, err = s.Schedules.DispatchNow(ctx)
		} else {
			t, perr := ParseAt(string(at))
			if perr != nil {
				return nil, fmt.Errorf("dispatch reports: at %q is not a time like 2026-12-07T08:00 (UTC) or RFC 3339", at)
			}
			d, err = s.Schedules.Dispatch(ctx, t)
		}
		if err != nil {
			return nil, err
		}
		out := dispatchedJSON{At: d.At, Due: d.Due, Claimed: d.Claimed, AlreadyDelivered: d.AlreadyDelivered, Moved: d.Moved, Failed: d.Failed}
		for _, q := range d.Deliveries {
			out.Deliveries = append(out.Deliveries, queuedDeliveryJSON{
				OrgID: q.OrgID, ScheduleID: q.ScheduleID, DeliveryID: q.ID,
				From: q.From.Format(domain.DateLayout), To: q.To.Format(domain.DateLayout),
				Recipients: len(q.Recipients), Status: q.Status,
			})
		}
		return out, nil
	}
}
