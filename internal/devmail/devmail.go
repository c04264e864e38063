// Package devmail is the local run's mail: the Mailbox that keeps what the
// local server's mailer sent, for its /dev/mail page, and ReadMoto, which reads
// back what moto_server's SES itself accepted, for tests of the SES adapter. It
// exists only for local runs and tests: in AWS, SES delivers the mail.
package devmail

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/http"
	"net/mail"
	"net/textproto"
	"slices"
	"strings"
	"time"
)

// Message is one sent mail, as /dev/mail answers it.
type Message struct {
	ID      string    `json:"id"`
	To      []string  `json:"to"`
	Subject string    `json:"subject"`
	Text    string    `json:"text"`
	HTML    string    `json:"html"`
	SentAt  time.Time `json:"sentAt"`
	// Attachments are the files sent with the mail, in order; never nil.
	Attachments []Attachment `json:"attachments"`
}

// Attachment is a file sent with a mail. The local server serves its
// content at URL; the list carries only its name, type and size.
type Attachment struct {
	Name        string `json:"name"`
	ContentType string `json:"contentType"`
	// Size is the file's size in bytes.
	Size int `json:"size"`
	// URL is /dev/mail/{id}/attachments/{n} (n from 0); empty when the
	// local run no longer keeps the file (see Mailbox) or for mail read from moto.
	URL string `json:"url"`
	// Data is the file; ReadMoto and the Mailbox keep it, JSON leaves it out.
	Data []byte `json:"-"`
}

// motoSES is the part of moto's /moto-api/data.json that holds SES mail.
type motoSES struct {
	SES struct {
		Message []struct {
			ID           string `json:"id"`
			Body         string `json:"body"`
			Subject      string `json:"subject"`
			Destinations struct {
				ToAddresses []string `json:"ToAddresses"`
			} `json:"destinations"`
		} `json:"Message"`
		RawMessage []struct {
			ID           string   `json:"id"`
			RawData      string   `json:"raw_data"`
			Destinations []string `json:"destinations"`
		} `json:"RawMessage"`
	} `json:"ses"`
}

// ReadMoto returns the mail moto at endpoint has accepted, newest first. It
// reads moto's whole state (GET /moto-api/data.json, every table included),
// which takes seconds once the state is large: tests of what SES received use
// it; the local server's /dev/mail answers from its Mailbox instead.
func ReadMoto(ctx context.Context, endpoint string) ([]Message, error) {
	body, err := fetch(ctx, endpoint)
	if err != nil {
		return nil, err
	}
	var data motoSES
	if err := json.Unmarshal(body, &data); err != nil {
		return nil, fmt.Errorf("decode moto data: %w", err)
	}
	var out []Message
	for _, m := range data.SES.Message {
		out = append(out, Message{ID: m.ID, To: m.Destinations.ToAddresses, Subject: m.Subject, HTML: m.Body, Attachments: []Attachment{}})
	}
	for _, m := range data.SES.RawMessage {
		msg, err := parseRaw(m.ID, m.RawData)
		if err != nil {
			return nil, err
		}
		if len(msg.To) == 0 {
			msg.To = m.Destinations
		}
		out = append(out, msg)
	}
	// moto keeps mail in the order it was sent: reverse it for newest first,
	// then order by Date (raw mail carries one; undated mail goes last).
	slices.Reverse(out)
	slices.SortStableFunc(out, func(a, b Message) int { return b.SentAt.Compare(a.SentAt) })
	if out == nil {
		out = []Message{}
	}
	return out, nil
}

// fetch reads moto's state; it answers 500 once per S3 multipart part uploaded
// (a known moto bug), so it is asked again until it answers or time runs out.
func fetch(ctx context.Context, endpoint string) ([]byte, error) {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	for {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, strings.TrimSuffix(endpoint, "/")+"/moto-api/data.json", nil)
		if err != nil {
			return nil, err
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			return nil, fmt.Errorf("read moto data: %w", err)
		}
		body, err := io.ReadAll(res.Body)
		res.Body.Close()
		if err == nil && res.StatusCode == http.StatusOK {
			return body, nil
		}
		select {
		case <-ctx.Done():
			return nil, fmt.Errorf("read moto data: status %d", res.StatusCode)
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// parseRaw decodes a raw MIME mail into its subject, recipients and parts.
func parseRaw(id, rawBase64 string) (Message, error) {
	// moto keeps the MIME text as SES received it; depending on the client that
	// may still be base64.
	raw := []byte(rawBase64)
	if decoded, err := base64.StdEncoding.DecodeString(rawBase64); err == nil {
		raw = decoded
	}
	m, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		return Message{}, fmt.Errorf("mail %s: %w", id, err)
	}
	dec := new(mime.WordDecoder)
	subject, err := dec.DecodeHeader(m.Header.Get("Subject"))
	if err != nil {
		subject = m.Header.Get("Subject")
	}
	msg := Message{ID: id, Subject: subject, Attachments: []Attachment{}}
	if to, err := m.Header.AddressList("To"); err == nil {
		for _, a := range to {
			msg.To = append(msg.To, a.Address)
		}
	}
	if d, err := m.Header.Date(); err == nil {
		msg.SentAt = d.UTC()
	}
	if err := readParts(&msg, textproto.MIMEHeader(m.Header), m.Body); err != nil {
		return Message{}, fmt.Errorf("mail %s: %w", id, err)
	}
	return msg, nil
}

func readParts(msg *Message, header textproto.MIMEHeader, body io.Reader) error {
	mediaType, params, err := mime.ParseMediaType(header.Get("Content-Type"))
	if err != nil {
		mediaType = "text/plain"
	}
	if strings.HasPrefix(mediaType, "multipart/") {
		mr := multipart.NewReader(body, params["boundary"])
		for {
			p, err := mr.NextRawPart()
			if err == io.EOF {
				return nil
			}
			if err != nil {
				return err
			}
			if err := readParts(msg, p.Header, p); err != nil {
				return err
			}
		}
	}
	switch strings.ToLower(header.Get("Content-Transfer-Encoding")) {
	case "quoted-printable":
		body = quotedprintable.NewReader(body)
	case "base64":
		body = base64.NewDecoder(base64.StdEncoding, body) // it skips line breaks
	}
	b, err := io.ReadAll(body)
	if err != nil {
		return err
	}
	disposition, dparams, _ := mime.ParseMediaType(header.Get("Content-Disposition"))
	if disposition == "attachment" || dparams["filename"] != "" {
		name := dparams["filename"]
		if name == "" {
			name = params["name"]
		}
		msg.Attachments = append(msg.Attachments, Attachment{Name: name, ContentType: mediaType, Size: len(b), Data: b})
		return nil
	}
	// MIME lines end in CRLF; people and tests read LF.
	text := strings.ReplaceAll(string(b), "\r\n", "\n")
	switch mediaType {
	case "text/plain":
		if msg.Text == "" {
			msg.Text = text
		}
	case "text/html":
		if msg.HTML == "" {
			msg.HTML = text
		}
	}
	return nil
}
