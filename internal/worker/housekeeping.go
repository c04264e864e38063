package worker

import (
	"context"
	"time"
)

// SweepExpired deletes expired one-time links, rate-limit windows and
// sessions, every hour.
var SweepExpired = Work{"SweepExpired", sweepExpired}

type sweptJSON struct {
	From    time.Time `json:"from"`
	To      time.Time `json:"to"`
	Deleted int       `json:"deleted"`
}

func sweepExpired(s *Services) run {
	return func(ctx context.Context, _ []byte) (any, error) {
		swept, err := s.Housekeeping.SweepExpired(ctx)
		if err != nil {
			return nil, err
		}
		return sweptJSON{From: swept.From, To: swept.To, Deleted: swept.Deleted}, nil
	}
}
