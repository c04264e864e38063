package devmail_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"

	"proportal/internal/devmail"
	"proportal/internal/domain"
)

// mailerFunc is a domain.Mailer made of a function: the SES adapter's place.
type mailerFunc func(context.Context, domain.Mail) error

func (f mailerFunc) Send(ctx context.Context, m domain.Mail) error { return f(ctx, m) }

var accept = mailerFunc(func(context.Context, domain.Mail) error { return nil })

func TestMailboxKeepsWhatWasSentNewestFirst(t *testing.T) {
	box := devmail.NewMailbox(devmail.DefaultKept)
	mailer := box.Wrap(accept)
	for _, m := range []domain.Mail{
		{To: "ada@example.com", ToName: "Ada", Subject: "Invite", Text: "text 1", HTML: "<p>1</p>"},
		{To: "bob@example.com", Subject: "Reset", Text: "text 2", HTML: "<p>2</p>"},
	} {
		if err := mailer.Send(context.Background(), m); err != nil {
			t.Fatalf("send: %v", err)
		}
	}
	got := box.List()
	if len(got) != 2 {
		t.Fatalf("kept %d mails, want 2", len(got))
	}
	want := []devmail.Message{
		{To: []string{"bob@example.com"}, Subject: "Reset", Text: "text 2", HTML: "<p>2</p>", Attachments: []devmail.Attachment{}},
		{To: []string{"ada@example.com"}, Subject: "Invite", Text: "text 1", HTML: "<p>1</p>", Attachments: []devmail.Attachment{}},
	}
	if got[0].ID == got[1].ID {
		t.Errorf("two mails share the id %q", got[0].ID)
	}
	for i := range got {
		if got[i].ID == "" || got[i].SentAt.IsZero() {
			t.Errorf("mail %d has no id or time: %+v", i, got[i])
		}
		got[i].ID, got[i].SentAt = "", want[i].SentAt
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("mailbox (-want +got):\n%s", diff)
	}
}

func TestMailboxKeepsOnlyWhatSESAccepted(t *testing.T) {
	refused := errors.New("MessageRejected: Email address is not verified")
	box := devmail.NewMailbox(devmail.DefaultKept)
	err := box.Wrap(mailerFunc(func(context.Context, domain.Mail) error { return refused })).
		Send(context.Background(), domain.Mail{To: "ada@example.com", Subject: "Invite"})
	if !errors.Is(err, refused) {
		t.Errorf("send = %v, want SES's refusal passed on", err)
	}
	if got := box.List(); len(got) != 0 {
		t.Errorf("the mailbox kept refused mail: %+v", got)
	}
}

func TestMailboxKeepsTheLastMails(t *testing.T) {
	box := devmail.NewMailbox(3)
	mailer := box.Wrap(accept)
	for i := range 5 {
		mailer.Send(context.Background(), domain.Mail{To: "ada@example.com", Subject: fmt.Sprint("mail ", i)})
	}
	var subjects []string
	for _, m := range box.List() {
		subjects = append(subjects, m.Subject)
	}
	if diff := cmp.Diff([]string{"mail 4", "mail 3", "mail 2"}, subjects); diff != "" {
		t.Errorf("kept (-want +got):\n%s", diff)
	}
}

func TestEmptyMailboxIsAnEmptyList(t *testing.T) {
	b, err := json.Marshal(devmail.NewMailbox(1).List())
	if err != nil || string(b) != "[]" {
		t.Errorf("empty mailbox encodes as %s (%v), want []", b, err)
	}
}

func TestMailboxKeepsAttachmentsWithinItsBudget(t *testing.T) {
	box := devmail.NewMailbox(devmail.DefaultKept)
	mailer := box.Wrap(accept)
	big := make([]byte, devmail.KeptAttachmentBytes/2+1)
	for i := range 3 {
		mailer.Send(context.Background(), domain.Mail{To: "ada@example.com", Subject: fmt.Sprint("report ", i),
			Attachments: []domain.Attachment{{Name: "r.xlsx", ContentType: "application/x", Data: big}}})
	}
	list := box.List() // newest first
	for i, m := range list {
		if len(m.Attachments) != 1 || m.Attachments[0].Size != len(big) || m.Attachments[0].Name != "r.xlsx" {
			t.Fatalf("mail %d lists %+v, want its one file", i, m.Attachments)
		}
		_, kept := box.Attachment(m.ID, 0)
		if want := i == 0; kept != want || (m.Attachments[0].URL != "") != want {
			t.Errorf("mail %d (newest first): file kept %v, url %q; want kept %v (only the newest fits the budget)", i, kept, m.Attachments[0].URL, want)
		}
	}
	if _, ok := box.Attachment(list[0].ID, 1); ok {
		t.Error("a second file of a mail with one")
	}
}
