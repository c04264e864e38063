// Package ses is the mail adapter: it sends domain.Mail through Amazon SES v2
// as raw MIME (a plain-text and an HTML part, and any attachments), from a
// verified sender identity and with a configuration set for bounce and
// complaint tracking; a mail's tags go with it as SES message tags, which come
// back in its bounce and complaint events.
package ses

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"io"
	"maps"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/mail"
	"net/textproto"
	"slices"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sesv2"
	"github.com/aws/aws-sdk-go-v2/service/sesv2/types"

	"proportal/internal/domain"
)

// Mailer sends mail through SES.
type Mailer struct {
	client *sesv2.Client
	// from is the verified sender, e.g. "ProPortal <no-reply@example.com>".
	from mail.Address
	// configurationSet is the SES configuration set every send names; empty for none.
	configurationSet string
	now              func() time.Time
}

var _ domain.Mailer = (*Mailer)(nil)

// New returns a mailer sending from the address from (a verified SES
// identity) with the configuration set (may be empty).
func New(client *sesv2.Client, from, configurationSet string) *Mailer {
	return &Mailer{
		client: client, from: mail.Address{Name: domain.ProductName, Address: from},
		configurationSet: configurationSet, now: time.Now,
	}
}

// FromConfig returns a mailer with a new SES v2 client on awsCfg; it is an
// app.MailerFunc.
func FromConfig(awsCfg aws.Config, from, configurationSet string) domain.Mailer {
	return New(sesv2.NewFromConfig(awsCfg), from, configurationSet)
}

// Send sends one mail. An error means SES did not accept it.
func (m *Mailer) Send(ctx context.Context, msg domain.Mail) error {
	raw, err := m.compose(msg)
	if err != nil {
		return err
	}
	in := &sesv2.SendEmailInput{
		FromEmailAddress: aws.String(m.from.Address),
		Destination:      &types.Destination{ToAddresses: []string{msg.To}},
		Content:          &types.EmailContent{Raw: &types.RawMessage{Data: raw}},
	}
	if m.configurationSet != "" {
		in.ConfigurationSetName = aws.String(m.configurationSet)
	}
	for _, k := range slices.Sorted(maps.Keys(msg.Tags)) {
		in.EmailTags = append(in.EmailTags, types.MessageTag{Name: aws.String(k), Value: aws.String(msg.Tags[k])})
	}
	if _, err := m.client.SendEmail(ctx, in); err != nil {
		return fmt.Errorf("send mail: %w", err)
	}
	return nil
}

// compose writes the MIME message: multipart/alternative (text, then HTML),
// or, with attachments, multipart/mixed of that alternative part and one
// base64 part per file. Header values go through the standard encoders, so no
// name or subject can add a header.
func (m *Mailer) compose(msg domain.Mail) ([]byte, error) {
	var buf bytes.Buffer
	to := mail.Address{Name: msg.ToName, Address: msg.To}
	top := multipart.NewWriter(&buf)
	contentType := `multipart/alternative; boundary="` + top.Boundary() + `"`
	if len(msg.Attachments) > 0 {
		contentType = `multipart/mixed; boundary="` + top.Boundary() + `"`
	}
	headers := []struct{ k, v string }{
		{"From", m.from.String()},
		{"To", to.String()},
		{"Subject", mime.QEncoding.Encode("utf-8", msg.Subject)},
		{"Date", m.now().UTC().Format(time.RFC1123Z)},
		{"Message-ID", messageID(m.from.Address)},
		{"MIME-Version", "1.0"},
		{"Content-Type", contentType},
	}
	var head bytes.Buffer
	for _, h := range headers {
		if strings.ContainsAny(h.v, "\r\n") {
			return nil, fmt.Errorf("compose mail: header %s has a line break", h.k)
		}
		field, err := fold(h.k, h.v)
		if err != nil {
			return nil, fmt.Errorf("compose mail: %w", err)
		}
		head.WriteString(field)
	}
	head.WriteString("\r\n")
	alternative := top
	if len(msg.Attachments) > 0 {
		boundary := multipart.NewWriter(io.Discard).Boundary()
		w, err := top.CreatePart(textproto.MIMEHeader{
			"Content-Type": {`multipart/alternative; boundary="` + boundary + `"`},
		})
		if err != nil {
			return nil, fmt.Errorf("compose mail: %w", err)
		}
		alternative = multipart.NewWriter(w)
		if err := alternative.SetBoundary(boundary); err != nil {
			return nil, fmt.Errorf("compose mail: %w", err)
		}
	}
	if err := writeAlternatives(alternative, msg); err != nil {
		return nil, fmt.Errorf("compose mail: %w", err)
	}
	if len(msg.Attachments) > 0 {
		if err := alternative.Close(); err != nil {
			return nil, fmt.Errorf("compose mail: %w", err)
		}
		for _, a := range msg.Attachments {
			if err := writeAttachment(top, a); err != nil {
				return nil, fmt.Errorf("compose mail: attachment %q: %w", a.Name, err)
			}
		}
	}
	if err := top.Close(); err != nil {
		return nil, fmt.Errorf("compose mail: %w", err)
	}
	return append(head.Bytes(), buf.Bytes()...), nil
}

// writeAlternatives writes the text and HTML parts, quoted-printable.
func writeAlternatives(body *multipart.Writer, msg domain.Mail) error {
	for _, part := range []struct{ contentType, content string }{
		{"text/plain; charset=utf-8", msg.Text},
		{"text/html; charset=utf-8", msg.HTML},
	} {
		w, err := body.CreatePart(textproto.MIMEHeader{
			"Content-Type":              {part.contentType},
			"Content-Transfer-Encoding": {"quoted-printable"},
		})
		if err != nil {
			return err
		}
		qp := quotedprintable.NewWriter(w)
		if _, err := qp.Write([]byte(part.content)); err != nil {
			return err
		}
		if err := qp.Close(); err != nil {
			return err
		}
	}
	return nil
}

// writeAttachment writes one file as a base64 part in lines of 76
// characters (RFC 2045), named in both its Content-Type and its
// Content-Disposition (mime.FormatMediaType encodes a name that needs it).
func writeAttachment(body *multipart.Writer, a domain.Attachment) error {
	contentType := a.ContentType
	if contentType == "" {
		contentType = "application/octet-stream"
	}
	mediaType := mime.FormatMediaType(contentType, map[string]string{"name": a.Name})
	disposition := mime.FormatMediaType("attachment", map[string]string{"filename": a.Name})
	if mediaType == "" || disposition == "" || strings.ContainsAny(a.Name, "\r\n") {
		return fmt.Errorf("cannot name the file %q in a header", a.Name)
	}
	w, err := body.CreatePart(textproto.MIMEHeader{
		"Content-Type":              {mediaType},
		"Content-Disposition":       {disposition},
		"Content-Transfer-Encoding": {"base64"},
	})
	if err != nil {
		return err
	}
	encoded := base64.StdEncoding.EncodeToString(a.Data)
	for len(encoded) > 76 {
		if _, err := io.WriteString(w, encoded[:76]+"\r\n"); err != nil {
			return err
		}
		encoded = encoded[76:]
	}
	_, err = io.WriteString(w, encoded+"\r\n")
	return err
}

// Header lines: RFC 5322 §2.1.1 wants at most 78 characters and allows 998.
const (
	foldAt      = 78
	maxLineSize = 998
)

// fold writes one header field, folded (RFC 5322 §2.2.3) at the spaces
// between its words so that its lines stay within 78 characters where the
// words allow. Encoded words (RFC 2047) are at most 75 characters each, and the
// space between two of them is not part of the text, so a long name or subject
// folds without changing. A line over 998 characters is refused.
func fold(name, value string) (string, error) {
	var b strings.Builder
	line := name + ":"
	for i, word := range words(value) {
		if i > 0 && word != "" && len(line)+1+len(word) > foldAt && strings.TrimSpace(line) != "" {
			b.WriteString(line + "\r\n")
			line = ""
		}
		line += " " + word
	}
	b.WriteString(line + "\r\n")
	for _, l := range strings.Split(strings.TrimSuffix(b.String(), "\r\n"), "\r\n") {
		if len(l) > maxLineSize {
			return "", fmt.Errorf("header %s has a line of %d characters, more than %d", name, len(l), maxLineSize)
		}
	}
	return b.String(), nil
}

// words splits a header value at the spaces where it may be folded: not
// inside a quoted string (a display name such as "Ada Lovelace"), which some
// parsers do not unfold; such a string stays on one line.
func words(value string) []string {
	var out []string
	start, quoted, escaped := 0, false, false
	for i := 0; i < len(value); i++ {
		switch c := value[i]; {
		case escaped:
			escaped = false
		case c == '\\' && quoted:
			escaped = true
		case c == '"':
			quoted = !quoted
		case c == ' ' && !quoted:
			out = append(out, value[start:i])
			start = i + 1
		}
	}
	return append(out, value[start:])
}

func messageID(from string) string {
	b := make([]byte, 16)
	rand.Read(b)
	domainPart := from[strings.LastIndexByte(from, '@')+1:]
	return "<" + hex.EncodeToString(b) + "@" + domainPart + ">"
}
