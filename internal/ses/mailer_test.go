package ses_test

import (
	"bytes"
	"context"
	"io"
	"mime"
	"mime/multipart"
	"net/mail"
	"os"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/sesv2"
	"github.com/aws/smithy-go/middleware"
	"github.com/google/go-cmp/cmp"

	"proportal/internal/domain"
	"proportal/internal/ses"
	"proportal/internal/testenv"
)

func TestMain(m *testing.M) { os.Exit(testenv.Main(m)) }

const sender = "mailer-test@proportal.test"

func newMailer(t *testing.T, from string) *ses.Mailer {
	t.Helper()
	cfg, _ := testenv.AWSConfig(t)
	return ses.New(sesv2.NewFromConfig(cfg), from, "")
}

func TestSendDeliversBothParts(t *testing.T) {
	cfg, _ := testenv.AWSConfig(t)
	testenv.VerifySender(t, cfg, sender)
	m := newMailer(t, sender)
	msg := domain.Mail{
		To: "ada@example.com", ToName: "Ada Lovelace", Subject: "Grüße from ProPortal",
		Text: "Hello Ada,\nline two with a very long line that must be wrapped by quoted-printable encoding because it goes on and on and on.",
		HTML: `<p>Hello <strong>Ada</strong> &amp; friends</p>`,
	}
	if err := m.Send(context.Background(), msg); err != nil {
		t.Fatalf("Send: %v", err)
	}
	got := testenv.MailTo(t, "ada@example.com")
	if len(got) != 1 {
		t.Fatalf("%d mails to ada@example.com, want 1", len(got))
	}
	if got[0].Subject != msg.Subject {
		t.Errorf("subject %q, want %q", got[0].Subject, msg.Subject)
	}
	if strings.TrimSpace(got[0].Text) != msg.Text || strings.TrimSpace(got[0].HTML) != msg.HTML {
		t.Errorf("parts came back as text %q html %q", got[0].Text, got[0].HTML)
	}
	if got[0].SentAt.IsZero() {
		t.Errorf("the mail has no Date")
	}
}

func TestSendFromUnverifiedSenderFails(t *testing.T) {
	m := newMailer(t, "not-verified@proportal.test")
	err := m.Send(context.Background(), domain.Mail{To: "x@example.com", Subject: "s", Text: "t", HTML: "h"})
	if err == nil {
		t.Fatal("SES accepted mail from an unverified sender")
	}
}

// TestNamesCannotAddHeaders checks that a name or subject with line breaks
// cannot start a header of its own (an injected Bcc, say).
func TestNamesCannotAddHeaders(t *testing.T) {
	cfg, _ := testenv.AWSConfig(t)
	testenv.VerifySender(t, cfg, sender)
	m := newMailer(t, sender)
	for _, msg := range []domain.Mail{
		{To: "eve@example.com", ToName: "Eve\r\nBcc: victim@example.com", Subject: "hi", Text: "t", HTML: "h"},
		{To: "eve@example.com", ToName: "Eve", Subject: "hi\r\nBcc: victim@example.com", Text: "t", HTML: "h"},
	} {
		raw, err := ses.Compose(m, msg)
		if err != nil {
			continue // refusing is fine
		}
		parsed, err := mail.ReadMessage(bytes.NewReader(raw))
		if err != nil {
			t.Fatalf("composed mail does not parse: %v", err)
		}
		if parsed.Header.Get("Bcc") != "" {
			t.Errorf("a name or subject added a Bcc header:\n%s", raw)
		}
	}
}

func TestComposeIsMultipartAlternative(t *testing.T) {
	m := newMailer(t, sender)
	raw, err := ses.Compose(m, domain.Mail{To: "a@example.com", ToName: "Åsa Öberg", Subject: "Hello", Text: "plain", HTML: "<p>html</p>"})
	if err != nil {
		t.Fatal(err)
	}
	msg, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	to, err := msg.Header.AddressList("To")
	if err != nil || to[0].Name != "Åsa Öberg" {
		t.Errorf("To = %v (%v), want the name kept through encoding", to, err)
	}
	mediaType, params, _ := mime.ParseMediaType(msg.Header.Get("Content-Type"))
	if mediaType != "multipart/alternative" {
		t.Fatalf("Content-Type %q", mediaType)
	}
	var types []string
	r := multipart.NewReader(msg.Body, params["boundary"])
	for {
		p, err := r.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		types = append(types, strings.Split(p.Header.Get("Content-Type"), ";")[0])
	}
	if strings.Join(types, ",") != "text/plain,text/html" {
		t.Errorf("parts %v, want text/plain then text/html", types)
	}
	if !strings.Contains(msg.Header.Get("From"), sender) || msg.Header.Get("Message-Id") == "" {
		t.Errorf("From %q Message-ID %q", msg.Header.Get("From"), msg.Header.Get("Message-Id"))
	}
}

// TestLongHeadersAreFolded sends a name and subject of 100 emoji: every header
// line stays within RFC 5322's 998 characters, every encoded word within RFC
// 2047's 75, and both read back as they were.
func TestLongHeadersAreFolded(t *testing.T) {
	cfg, _ := testenv.AWSConfig(t)
	testenv.VerifySender(t, cfg, sender)
	m := newMailer(t, sender)
	name := strings.Repeat("😀", 100)
	msg := domain.Mail{
		To: "emoji@example.com", ToName: name + " Lovelace", Subject: name + " invited you to Acme on ProPortal",
		Text: "t", HTML: "h",
	}
	raw, err := ses.Compose(m, msg)
	if err != nil {
		t.Fatalf("Compose: %v", err)
	}
	head, _, _ := bytes.Cut(raw, []byte("\r\n\r\n"))
	for _, line := range strings.Split(string(head), "\r\n") {
		if len(line) > 998 {
			t.Errorf("header line of %d characters: %.60q…", len(line), line)
		}
		for _, word := range strings.Fields(line) {
			if strings.HasPrefix(word, "=?") && len(word) > 75 {
				t.Errorf("encoded word of %d characters: %q", len(word), word)
			}
		}
	}
	parsed, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("the composed mail does not parse: %v", err)
	}
	to, err := parsed.Header.AddressList("To")
	if err != nil || len(to) != 1 || to[0].Name != msg.ToName || to[0].Address != msg.To {
		t.Errorf("To reads back as %v (%v), want %q <%s>", to, err, msg.ToName, msg.To)
	}
	var dec mime.WordDecoder
	if subject, err := dec.DecodeHeader(parsed.Header.Get("Subject")); err != nil || subject != msg.Subject {
		t.Errorf("Subject reads back as %q (%v), want %q", subject, err, msg.Subject)
	}

	if err := m.Send(context.Background(), msg); err != nil {
		t.Fatalf("Send: %v", err)
	}
	if got := testenv.MailTo(t, msg.To); len(got) != 1 || got[0].Subject != msg.Subject {
		t.Errorf("SES delivered %d mails (%v), want one with the subject %q", len(got), got, msg.Subject)
	}
}

// A long plain-ASCII display name is a quoted string: it is not folded inside
// the quotes (moto's parser, like others, then loses the address), and SES
// takes the mail.
func TestLongQuotedNameIsNotFoldedInside(t *testing.T) {
	cfg, _ := testenv.AWSConfig(t)
	testenv.VerifySender(t, cfg, sender)
	m := newMailer(t, sender)
	msg := domain.Mail{To: "long.name@example.com", ToName: strings.Repeat("W", 100) + " Long", Subject: "s", Text: "t", HTML: "h"}
	raw, err := ses.Compose(m, msg)
	if err != nil {
		t.Fatalf("Compose: %v", err)
	}
	head, _, _ := bytes.Cut(raw, []byte("\r\n\r\n"))
	if !strings.Contains(string(head), "\r\nTo: \""+msg.ToName+"\"") {
		t.Errorf("the To field is folded inside its quoted name:\n%s", head)
	}
	if err := m.Send(context.Background(), msg); err != nil {
		t.Fatalf("Send: %v", err)
	}
	if got := testenv.MailTo(t, msg.To); len(got) != 1 {
		t.Errorf("SES delivered %d mails, want 1", len(got))
	}
}

// A mail with a file is multipart/mixed: the text and HTML alternatives, then
// the file in base64 under its name; moto accepts it and it reads back whole.
// Its tags go to SES as EmailTags.
func TestSendWithAttachmentAndTags(t *testing.T) {
	cfg, _ := testenv.AWSConfig(t)
	testenv.VerifySender(t, cfg, sender)
	var sent []*sesv2.SendEmailInput
	cfg.APIOptions = append(cfg.APIOptions, func(stack *middleware.Stack) error {
		return stack.Initialize.Add(middleware.InitializeMiddlewareFunc("keepInput",
			func(ctx context.Context, in middleware.InitializeInput, next middleware.InitializeHandler) (middleware.InitializeOutput, middleware.Metadata, error) {
				if p, ok := in.Parameters.(*sesv2.SendEmailInput); ok {
					sent = append(sent, p)
				}
				return next.HandleInitialize(ctx, in)
			}), middleware.After)
	})
	m := ses.New(sesv2.NewFromConfig(cfg), sender, "")
	file := make([]byte, 1000) // more than one base64 line, every byte value
	for i := range file {
		file[i] = byte(i)
	}
	msg := domain.Mail{
		To: "attached@example.com", Subject: "Weekly viewings report", Text: "See the file.", HTML: "<p>See the file.</p>",
		Attachments: []domain.Attachment{{Name: "proportal-viewings 2026-11-30.xlsx", ContentType: domain.XLSXContentType, Data: file}},
		Tags:        map[string]string{"schedule": "s1", "org": "o1", "delivery": "d1"},
	}
	raw, err := ses.Compose(m, msg)
	if err != nil {
		t.Fatal(err)
	}
	parsed, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	if mediaType, _, _ := mime.ParseMediaType(parsed.Header.Get("Content-Type")); mediaType != "multipart/mixed" {
		t.Errorf("Content-Type %q, want multipart/mixed", mediaType)
	}
	for _, line := range strings.Split(string(raw), "\r\n") {
		if len(line) > 998 {
			t.Fatalf("a line of %d characters", len(line))
		}
	}
	if err := m.Send(context.Background(), msg); err != nil {
		t.Fatalf("Send: %v", err)
	}
	got := testenv.MailTo(t, msg.To)
	if len(got) != 1 {
		t.Fatalf("%d mails, want 1", len(got))
	}
	if strings.TrimSpace(got[0].Text) != msg.Text || strings.TrimSpace(got[0].HTML) != msg.HTML {
		t.Errorf("parts came back as text %q html %q", got[0].Text, got[0].HTML)
	}
	if len(got[0].Attachments) != 1 {
		t.Fatalf("attachments %+v, want one", got[0].Attachments)
	}
	a := got[0].Attachments[0]
	if a.Name != msg.Attachments[0].Name || a.ContentType != domain.XLSXContentType || !bytes.Equal(a.Data, file) || a.Size != len(file) {
		t.Errorf("attachment came back as %q %q %d bytes (same: %v)", a.Name, a.ContentType, a.Size, bytes.Equal(a.Data, file))
	}
	if len(sent) != 1 {
		t.Fatalf("%d SendEmail calls, want 1", len(sent))
	}
	var tags []string
	for _, tag := range sent[0].EmailTags {
		tags = append(tags, *tag.Name+"="+*tag.Value)
	}
	if diff := cmp.Diff([]string{"delivery=d1", "org=o1", "schedule=s1"}, tags); diff != "" {
		t.Errorf("EmailTags (-want +got):\n%s", diff)
	}
}
