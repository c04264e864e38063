package worker

import (
	"context"
	"fmt"
	"time"

	"proportal/internal/domain"
)

// SendReminders finds, every hour, the assignments whose due-date reminders
// are due and the organizations whose Monday digest is due, claims each and
// queues its mail for DeliverReminders. Its message, when an operator gives
// one (ScheduledEvent.At), is the time to run as.
var SendReminders = Work{"SendReminders", sendReminders}

// DeliverReminders mails one page of an assignment's reminders (and queues
// the next), or one organization's weekly digest: the message is
// domain.ReminderRef.Message() or domain.DigestRef.Message().
var DeliverReminders = Work{"DeliverReminders", deliverReminders}

type reminderSweepJSON struct {
	At          time.Time `json:"at"`
	Assignments int       `json:"assignments"`
	Digests     int       `json:"digests"`
}

func sendReminders(s *Services) run {
	return func(ctx context.Context, message []byte) (any, error) {
		at := s.Reminders.Now()
		if len(message) > 0 {
			var err error
			if at, err = ParseAt(string(message)); err != nil {
				return nil, err
			}
		}
		swept, err := s.Reminders.Sweep(ctx, at)
		out := reminderSweepJSON{At: swept.At, Assignments: swept.Assignments, Digests: swept.Digests}
		if err != nil {
			return nil, fmt.Errorf("send reminders (%d queued): %w", swept.Assignments+swept.Digests, err)
		}
		return out, nil
	}
}

// ParseAt reads the time an operator runs a job as: RFC 3339, or
// 2006-01-02T15:04 (UTC).
func ParseAt(s string) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	if t, err := time.Parse("2006-01-02T15:04", s); err == nil {
		return t, nil
	}
	return time.Time{}, domain.Problems{"at": "must be a time like 2026-12-07T08:00 (UTC) or 2026-12-07T08:00:00+01:00"}.Err()
}

type reminderDeliveryJSON struct {
	Sent    int  `json:"sent"`
	Skipped int  `json:"skipped"`
	Failed  int  `json:"failed"`
	More    bool `json:"more"`
}

func deliverReminders(s *Services) run {
	return func(ctx context.Context, message []byte) (any, error) {
		d, err := s.Reminders.Deliver(ctx, string(message))
		if err != nil {
			return nil, err
		}
		return reminderDeliveryJSON{Sent: d.Sent, Skipped: d.Skipped, Failed: d.Failed, More: d.More}, nil
	}
}
