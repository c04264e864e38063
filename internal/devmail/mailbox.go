package devmail

import (
	"context"
	"crypto/rand"
	"fmt"
	"slices"
	"sync"
	"time"

	"proportal/internal/domain"
)

// DefaultKept is how many mails a local run's Mailbox keeps.
const DefaultKept = 500

// KeptAttachmentBytes is how many bytes of attachments a Mailbox keeps: past
// it, the oldest mails' files are let go (they stay listed, without a URL).
const KeptAttachmentBytes = 64 << 20

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
	// attached is the size of the attachments kept.
	attached int
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

// Attachment returns the file n (from 0) of the mail id, and false when the
// mailbox has no such mail or no longer keeps the file.
func (b *Mailbox) Attachment(id string, n int) (Attachment, bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, m := range b.mail {
		if m.ID == id && n >= 0 && n < len(m.Attachments) && m.Attachments[n].Data != nil {
			return m.Attachments[n], true
		}
	}
	return Attachment{}, false
}

func (b *Mailbox) keep(m domain.Mail) {
	msg := Message{
		ID: rand.Text(), To: []string{m.To}, Subject: m.Subject,
		Text: m.Text, HTML: m.HTML, SentAt: b.now().UTC(), Attachments: []Attachment{},
	}
	for i, a := range m.Attachments {
		msg.Attachments = append(msg.Attachments, Attachment{
			Name: a.Name, ContentType: a.ContentType, Size: len(a.Data),
			URL: fmt.Sprintf("/dev/mail/%s/attachments/%d", msg.ID, i), Data: a.Data,
		})
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if len(b.mail) >= b.kept {
		for _, gone := range b.mail[:len(b.mail)-b.kept+1] {
			b.attached -= keptBytes(gone)
		}
		b.mail = slices.Delete(b.mail, 0, len(b.mail)-b.kept+1)
	}
	b.mail = append(b.mail, msg)
	b.attached += keptBytes(msg)
	// Let the oldest files go until what is kept fits (the newest mail's
	// files stay whatever their size).
	for i := 0; b.attached > KeptAttachmentBytes && i < len(b.mail)-1; i++ {
		b.attached -= keptBytes(b.mail[i])
		files := slices.Clone(b.mail[i].Attachments)
		for j := range files {
			files[j].Data, files[j].URL = nil, ""
		}
		b.mail[i].Attachments = files
	}
}

// keptBytes is the size of the files a message keeps.
func keptBytes(m Message) int {
	n := 0
	for _, a := range m.Attachments {
		n += len(a.Data)
	}
	return n
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
