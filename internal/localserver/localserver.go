// Package localserver serves ProPortal on a developer's machine: every /api
// request becomes the API Gateway HTTP API (payload 2.0) event that AWS would
// send, and goes to the same Lambda handler that runs in AWS. It also serves
// the mail the local run sent at /dev/mail, and runs the scheduled jobs
// in-process (and at once on POST /dev/jobs/<job>).
package localserver

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"io/fs"
	"log/slog"
	"mime"
	"net"
	"net/http"
	"path"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/aws/aws-lambda-go/events"

	"proportal/internal/devmail"
	"proportal/internal/httpapi"
	"proportal/internal/worker"
)

// maxEventBody is API Gateway's own limit on a request body (10 MB); each
// action applies its smaller limit itself.
const maxEventBody = 10 << 20

// Server is the local stand-in for API Gateway and CloudFront.
type Server struct {
	handlers map[string]httpapi.LambdaHandler
	// mail is what the local run's mailer sent, served at /dev/mail.
	mail *devmail.Mailbox
	// web is the built portal (web/dist), or nil when it is not built.
	web    fs.FS
	logger *slog.Logger
	// jobs are the scheduled jobs' handlers, by name (see WithJobs).
	jobs map[string]worker.ScheduledHandler
}

// New returns the local server for the services; mail is the mailbox that
// wraps their mailer (devmail.Mailbox.Wrap) and web the built portal (nil when
// there is none).
func New(s *httpapi.Services, mail *devmail.Mailbox, web fs.FS, logger *slog.Logger) *Server {
	handlers := make(map[string]httpapi.LambdaHandler, len(httpapi.Routes))
	for _, rt := range httpapi.Routes {
		handlers[rt.Name] = rt.Handler(s)
	}
	return &Server{handlers: handlers, mail: mail, web: web, logger: logger}
}

// ServeHTTP routes /api/ to the Lambda handlers, /dev/mail to the mailbox, and
// everything else to the portal.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch {
	case r.URL.Path == "/api" || strings.HasPrefix(r.URL.Path, "/api/"):
		s.serveAPI(w, r)
	case r.URL.Path == "/dev/mail":
		s.serveMail(w, r)
	case strings.HasPrefix(r.URL.Path, "/dev/mail/"):
		s.serveAttachment(w, r)
	case strings.HasPrefix(r.URL.Path, jobsPrefix):
		s.serveJob(w, r)
	default:
		s.servePortal(w, r)
	}
}

func (s *Server) serveAPI(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxEventBody))
	if err != nil {
		writeJSON(w, http.StatusRequestEntityTooLarge, map[string]any{"error": map[string]string{
			"code": "payload_too_large", "message": "The request body is too large."}})
		return
	}
	route, params, _, _ := httpapi.Match(r.Method, r.URL.Path)
	ev := Event(r, route, params, body)
	res, err := s.handlers[route.Name](r.Context(), ev)
	if err != nil {
		// Handlers answer errors themselves; an error here is a broken handler.
		s.logger.Error("handler failed", "route", route.Name, "error", err)
		writeJSON(w, http.StatusBadGateway, map[string]any{"error": map[string]string{"code": "internal", "message": "Internal error."}})
		return
	}
	for k, v := range res.Headers {
		w.Header().Set(k, v)
	}
	for k, vs := range res.MultiValueHeaders {
		for _, v := range vs {
			w.Header().Add(k, v)
		}
	}
	for _, c := range res.Cookies {
		w.Header().Add("Set-Cookie", c)
	}
	out := []byte(res.Body)
	if res.IsBase64Encoded {
		if out, err = base64.StdEncoding.DecodeString(res.Body); err != nil {
			out = nil
		}
	}
	w.WriteHeader(res.StatusCode)
	w.Write(out)
}

// Event builds the API Gateway HTTP API payload 2.0 event for a request, as
// API Gateway would for the matched route.
func Event(r *http.Request, route httpapi.Route, params map[string]string, body []byte) events.APIGatewayV2HTTPRequest {
	headers := map[string]string{}
	var cookies []string
	for name, values := range r.Header {
		lower := strings.ToLower(name)
		if lower == "cookie" {
			for _, v := range values {
				for _, c := range strings.Split(v, ";") {
					if c = strings.TrimSpace(c); c != "" {
						cookies = append(cookies, c)
					}
				}
			}
			continue
		}
		headers[lower] = strings.Join(values, ",")
	}
	if r.Host != "" {
		headers["host"] = r.Host
	}
	query := map[string]string{}
	for k, vs := range r.URL.Query() {
		query[k] = strings.Join(vs, ",")
	}
	now := time.Now().UTC()
	ev := events.APIGatewayV2HTTPRequest{
		Version:               "2.0",
		RouteKey:              route.RouteKey(),
		RawPath:               r.URL.EscapedPath(),
		RawQueryString:        r.URL.RawQuery,
		Cookies:               cookies,
		Headers:               headers,
		QueryStringParameters: nonEmpty(query),
		PathParameters:        params,
		RequestContext: events.APIGatewayV2HTTPRequestContext{
			RouteKey:     route.RouteKey(),
			AccountID:    "local",
			Stage:        "$default",
			RequestID:    requestID(),
			APIID:        "local",
			DomainName:   r.Host,
			DomainPrefix: strings.Split(r.Host, ".")[0],
			Time:         now.Format("02/Jan/2006:15:04:05 -0700"),
			TimeEpoch:    now.UnixMilli(),
			HTTP: events.APIGatewayV2HTTPRequestContextHTTPDescription{
				Method:    r.Method,
				Path:      r.URL.Path,
				Protocol:  r.Proto,
				SourceIP:  sourceIP(r),
				UserAgent: r.UserAgent(),
			},
		},
	}
	if utf8.Valid(body) {
		ev.Body = string(body)
	} else {
		ev.Body, ev.IsBase64Encoded = base64.StdEncoding.EncodeToString(body), true
	}
	return ev
}

func nonEmpty(m map[string]string) map[string]string {
	if len(m) == 0 {
		return nil
	}
	return m
}

func sourceIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

func requestID() string {
	b := make([]byte, 16)
	rand.Read(b)
	return hex.EncodeToString(b)
}

func (s *Server) serveMail(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet {
		w.Header().Set("Allow", http.MethodGet)
		writeJSON(w, http.StatusMethodNotAllowed, map[string]any{"error": map[string]string{"code": "method_not_allowed", "message": "Use GET."}})
		return
	}
	// From memory, not from moto: moto's state dump grows with every table
	// and took seconds (see devmail.Mailbox).
	writeJSON(w, http.StatusOK, s.mail.List())
}

// serveAttachment serves GET /dev/mail/{id}/attachments/{n}: one file of a
// kept mail, as a download.
func (s *Server) serveAttachment(w http.ResponseWriter, r *http.Request) {
	parts := strings.Split(strings.TrimPrefix(r.URL.Path, "/dev/mail/"), "/")
	var a devmail.Attachment
	found := false
	if len(parts) == 3 && parts[1] == "attachments" {
		if n, err := strconv.Atoi(parts[2]); err == nil {
			a, found = s.mail.Attachment(parts[0], n)
		}
	}
	switch {
	case r.Method != http.MethodGet:
		w.Header().Set("Allow", http.MethodGet)
		writeJSON(w, http.StatusMethodNotAllowed, map[string]any{"error": map[string]string{"code": "method_not_allowed", "message": "Use GET."}})
		return
	case !found:
		writeJSON(w, http.StatusNotFound, map[string]any{"error": map[string]string{"code": "not_found", "message": "No such attachment (the mailbox keeps the last mails only)."}})
		return
	}
	w.Header().Set("Content-Type", a.ContentType)
	w.Header().Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": a.Name}))
	w.Header().Set("Content-Length", strconv.Itoa(len(a.Data)))
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Write(a.Data)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

// servePortal serves the built portal as CloudFront does: files as they are,
// every other path (an app route) as index.html, with the same security
// headers (SecurityHeaders).
func (s *Server) servePortal(w http.ResponseWriter, r *http.Request) {
	for k, v := range SecurityHeaders {
		w.Header().Set(k, v)
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	if s.web == nil {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		io.WriteString(w, placeholderPage)
		return
	}
	name := strings.TrimPrefix(path.Clean(r.URL.Path), "/")
	if name != "" && !strings.HasSuffix(name, "/") {
		if f, err := s.web.Open(name); err == nil {
			info, statErr := f.Stat()
			f.Close()
			if statErr == nil && !info.IsDir() {
				if strings.HasPrefix(name, "assets/") {
					// Vite puts a content hash in every asset's name.
					w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
				}
				http.ServeFileFS(w, r, s.web, name)
				return
			}
		}
		if path.Ext(name) != "" {
			// A missing file is a 404, not the app: only extension-less paths are app routes.
			http.NotFound(w, r)
			return
		}
	}
	index, err := fs.ReadFile(s.web, "index.html")
	if err != nil {
		http.Error(w, "the portal is not built: run make web", http.StatusNotFound)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-cache")
	w.Write(index)
}

// ContentSecurityPolicy is the portal's policy: scripts and styles only from
// its own origin (no inline script), no framing. template.yaml's CloudFront
// response headers policy sends the same (a test keeps them equal).
const ContentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"connect-src 'self'; font-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'"

// SecurityHeaders are sent with every page of the portal. (HSTS is sent by
// CloudFront only: the local server speaks plain HTTP.)
var SecurityHeaders = map[string]string{
	"Content-Security-Policy": ContentSecurityPolicy,
	"X-Content-Type-Options":  "nosniff",
	"Referrer-Policy":         "no-referrer",
	"X-Frame-Options":         "DENY",
}

const placeholderPage = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>ProPortal (local)</title></head>
<body>
<h1>ProPortal is running locally</h1>
<p>The web portal is not built: run <code>make web</code> (make run does). The API answers under
<a href="/api/health">/api/health</a>; mail sent so far is at <a href="/dev/mail">/dev/mail</a>.</p>
</body></html>
`

// ListenAndServe serves until ctx is done, then shuts down gracefully.
func ListenAndServe(ctx context.Context, l net.Listener, h http.Handler) error {
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(l) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
		shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := srv.Shutdown(shutdown); err != nil && !errors.Is(err, http.ErrServerClosed) {
			return err
		}
		return nil
	}
}
