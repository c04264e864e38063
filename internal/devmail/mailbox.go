package devmail

import (
	"context"
	"crypto/rand"
	"slices"
	"sync"
	"time"

	"proportal/internal/domain"
)

// DefaultKept is how many mails a local run's Mailbox keeps.
const DefaultKept = 500

// Mailbox keeps the last mails that the mailers it wraps sent, in memory.
// The local server serves it at /dev/mail: reading mail back from moto
// (ReadMoto) dumps moto's whole state, which grew to megabytes and took
// seconds, whereas a Mailbox answers at once whatever the size of the state.
// The mail still goes through SES (moto), which may refuse it; only what SES
// accepted is kept.
type Mailbox struct {
	mu   sync.Mutex
	kept int
	mail []Message // oldest first
	now  func() time.Time
}

// NewMailbox returns an empty mailbox that keeps the last kept mails.
func NewMailbox(kept int) *Mailbox {
	return &Mailbox{kept: max(kept, 1), now: time.Now}
}

// Wrap returns a mailer that sends through next and keeps what next accepted.
func (b *Mailbox) Wrap(next domain.Mailer) domain.Mailer {
	return keeping{next: next, box: b}
}

// List returns the mail kept, newest first; never nil, so it encodes as [].
func (b *Mailbox) List() []Message {
	b.mu.Lock()
	defer b.mu.Unlock()
	out := slices.Clone(b.mail)
	slices.Reverse(out)
	if out == nil {
		out = []Message{}
	}
	return out
}

func (b *Mailbox) keep(m domain.Mail) {
	msg := Message{
		ID: rand.Text(), To: []string{m.To}, Subject: m.Subject,
		Text: m.Text, HTML: m.HTML, SentAt: b.now().UTC(),
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if len(b.mail) >= b.kept {
		b.mail = slices.Delete(b.mail, 0, len(b.mail)-b.kept+1)
	}
	b.mail = append(b.mail, msg)
}

// keeping is a mailer that keeps what its next mailer accepted.
type keeping struct {
	next domain.Mailer
	box  *Mailbox
}

var _ domain.Mailer = keeping{}

func (k keeping) Send(ctx context.Context, m domain.Mail) error {
	if err := k.next.Send(ctx, m); err != nil {
		return err
	}
	k.box.keep(m)
	return nil
}
