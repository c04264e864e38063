package worker

import (
	"context"
	"encoding/json"
	"strings"

	"proportal/internal/domain"
)

// RunScheduledReport makes a scheduled report's workbook, stores it in the
// reports bucket and mails it to the schedule's recipients. The message is
// domain.DeliveryRef.Message(). A failed run is retried by SQS and mails
// only the recipients still pending; a duplicate or late message finds the
// delivery running or finished and leaves it.
var RunScheduledReport = Work{"RunScheduledReport", runScheduledReport}

type deliveryRunJSON struct {
	DeliveryID string `json:"deliveryId"`
	Status     string `json:"status"`
	Rows       int    `json:"rows"`
	Bytes      int64  `json:"bytes"`
	Attached   bool   `json:"attached"`
	Sent       int    `json:"sent"`
	Attempts   int    `json:"attempts"`
}

func runScheduledReport(s *Services) run {
	return func(ctx context.Context, message []byte) (any, error) {
		ref, err := domain.ParseDeliveryRef(string(message))
		if err != nil {
			return nil, err
		}
		d, err := s.Deliveries.Run(ctx, ref)
		if err != nil {
			return nil, err
		}
		sent := 0
		for _, r := range d.Recipients {
			if r.Status == domain.RecipientSent {
				sent++
			}
		}
		return deliveryRunJSON{DeliveryID: d.ID, Status: d.Status, Rows: d.Rows, Bytes: d.Bytes, Attached: d.Attached,
			Sent: sent, Attempts: d.Attempts}, nil
	}
}

// RecordMailEvents records what SES reports of scheduled reports' mail: a
// bounce or complaint marks the recipient bounced on its delivery and stops
// its schedule mailing it. The message is SES's event (the configuration
// set's event destination, through SNS with raw message delivery). An event
// of no delivery, or no SES event at all, is logged and dropped, not retried.
var RecordMailEvents = Work{"RecordMailEvents", recordMailEvents}

// sesEvent is the part of an SES event (bounce or complaint, as a
// configuration set publishes it) the job reads.
type sesEvent struct {
	EventType string `json:"eventType"`
	// NotificationType is the same in an identity's feedback notifications.
	NotificationType string `json:"notificationType"`
	Mail             struct {
		Tags map[string][]string `json:"tags"`
	} `json:"mail"`
	Bounce *struct {
		BounceType        string `json:"bounceType"`
		BounceSubType     string `json:"bounceSubType"`
		BouncedRecipients []struct {
			EmailAddress   string `json:"emailAddress"`
			DiagnosticCode string `json:"diagnosticCode"`
		} `json:"bouncedRecipients"`
	} `json:"bounce"`
	Complaint *struct {
		ComplaintFeedbackType string `json:"complaintFeedbackType"`
		ComplainedRecipients  []struct {
			EmailAddress string `json:"emailAddress"`
		} `json:"complainedRecipients"`
	} `json:"complaint"`
}

// snsEnvelope is an SNS notification without raw message delivery: the SES
// event is its Message.
type snsEnvelope struct {
	Type    string `json:"Type"`
	Message string `json:"Message"`
}

type mailEventJSON struct {
	Type       string `json:"type"`
	Recipients int    `json:"recipients"`
	Ignored    string `json:"ignored,omitempty"`
}

// maxReason is how much of a bounce's diagnostic the delivery keeps.
const maxReason = 300

func recordMailEvents(s *Services) run {
	return func(ctx context.Context, message []byte) (any, error) {
		var env snsEnvelope
		if json.Unmarshal(message, &env) == nil && env.Type == "Notification" && env.Message != "" {
			message = []byte(env.Message)
		}
		var ev sesEvent
		if err := json.Unmarshal(message, &ev); err != nil {
			return mailEventJSON{Ignored: "not an SES event"}, nil
		}
		out := domain.MailEvent{Type: ev.EventType, Tags: map[string]string{}}
		if out.Type == "" {
			out.Type = ev.NotificationType
		}
		for k, v := range ev.Mail.Tags {
			if len(v) > 0 {
				out.Tags[k] = v[0]
			}
		}
		switch {
		case out.Type == domain.MailEventBounce && ev.Bounce != nil:
			out.BounceType = ev.Bounce.BounceType
			for _, r := range ev.Bounce.BouncedRecipients {
				reason := r.DiagnosticCode
				if reason == "" {
					reason = "The mail bounced (" + strings.ToLower(ev.Bounce.BounceType+", "+ev.Bounce.BounceSubType) + ")."
				}
				if len(reason) > maxReason {
					reason = reason[:maxReason] + "…"
				}
				out.Recipients = append(out.Recipients, domain.DeliveryRecipient{Address: strings.ToLower(r.EmailAddress), Reason: reason})
			}
		case out.Type == domain.MailEventComplaint && ev.Complaint != nil:
			for _, r := range ev.Complaint.ComplainedRecipients {
				out.Recipients = append(out.Recipients, domain.DeliveryRecipient{Address: strings.ToLower(r.EmailAddress),
					Reason: "The recipient reported the mail as spam; it is not mailed again."})
			}
		default:
			return mailEventJSON{Type: out.Type, Ignored: "neither a bounce nor a complaint"}, nil
		}
		if err := s.Deliveries.RecordMailEvent(ctx, out); err != nil {
			return nil, err
		}
		return mailEventJSON{Type: out.Type, Recipients: len(out.Recipients)}, nil
	}
}
