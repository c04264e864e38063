package testenv

import (
	"bytes"
	"context"
	"strings"
	"sync"

	"proportal/internal/domain"
)

// Mailbox keeps the mail that SES (moto) accepted from the mailers it wraps.
// Reading mail back from moto (MailTo) dumps moto's whole state, every table of
// a package's tests included, which takes seconds once tables are large; a
// Mailbox answers at once. Mail is sent before a service returns, so there is
// nothing to wait for.
type Mailbox struct {
	mu    sync.Mutex
	mails []domain.Mail
}

// Wrap returns a mailer that sends through next and keeps what it accepted.
// A mailer that records into b already is returned as it is, so wrapping
// twice does not record twice.
func (b *Mailbox) Wrap(next domain.Mailer) domain.Mailer {
	if r, ok := next.(recording); ok && r.box == b {
		return r
	}
	return recording{next: next, box: b}
}

// To returns the mail accepted for an address, newest first.
func (b *Mailbox) To(address string) []domain.Mail {
	b.mu.Lock()
	defer b.mu.Unlock()
	var out []domain.Mail
	for i := len(b.mails) - 1; i >= 0; i-- {
		if strings.EqualFold(b.mails[i].To, address) {
			out = append(out, b.mails[i])
		}
	}
	return out
}

type recording struct {
	next domain.Mailer
	box  *Mailbox
}

func (r recording) Send(ctx context.Context, m domain.Mail) error {
	if err := r.next.Send(ctx, m); err != nil {
		return err
	}
	r.box.mu.Lock()
	defer r.box.mu.Unlock()
	r.box.mails = append(r.box.mails, m)
	return nil
}

// Buffer is a bytes.Buffer safe for concurrent use: a log that requests or a
// server write to while a test reads it.
type Buffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *Buffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

// String returns what was written so far.
func (b *Buffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// Reset forgets what was written.
func (b *Buffer) Reset() {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.buf.Reset()
}
