package e2e

import (
	"fmt"
	"net/http"
	"strings"

	cdplog "github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
)

// listen records the problems among the tab's events. It runs on chromedp's
// event loop: it only takes notes.
func (r *recorder) listen(ev any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	switch ev := ev.(type) {
	case *network.EventRequestWillBeSent:
		r.requests[string(ev.RequestID)] = &request{method: ev.Request.Method, url: ev.Request.URL}
	case *network.EventResponseReceived:
		req := r.requests[string(ev.RequestID)]
		if req == nil {
			req = &request{method: "?", url: ev.Response.URL}
		}
		req.status = ev.Response.Status
		for name, v := range ev.Response.Headers {
			if s, ok := v.(string); ok && strings.EqualFold(name, "content-disposition") && strings.HasPrefix(s, "attachment") {
				req.download = true
			}
		}
		if ev.Response.Status >= 400 {
			r.add(req, fmt.Sprintf("HTTP %d: %s %s", ev.Response.Status, req.method, ev.Response.URL))
		}
	case *network.EventLoadingFailed:
		req := r.requests[string(ev.RequestID)]
		if ev.Canceled && req != nil && req.method == http.MethodGet && strings.HasPrefix(pathOf(req.url), "/api/") {
			// The app aborts a page's loads when the page goes away or its
			// filters change (web/src/hooks/useLoad.ts): a read nobody waits
			// for any more.
			r.entries = append(r.entries, entry{
				what:    fmt.Sprintf("request aborted by the page (%s): %s %s", ev.ErrorText, req.method, req.url),
				allowed: "a page's load, aborted when the page went away",
			})
			return
		}
		if req != nil && req.download {
			// A file the page opened (an export's download link): the
			// browser hands it to its downloads and ends the load.
			r.entries = append(r.entries, entry{
				what:    fmt.Sprintf("download handed to the browser (%s): %s %s", ev.ErrorText, req.method, req.url),
				allowed: "a download",
			})
			return
		}
		what := fmt.Sprintf("request failed (%s", ev.ErrorText)
		if ev.Canceled {
			what += ", canceled"
		}
		if ev.BlockedReason != "" {
			what += ", blocked: " + string(ev.BlockedReason)
		}
		what += ")"
		if req != nil {
			what += fmt.Sprintf(": %s %s", req.method, req.url)
		}
		r.add(nil, what) // never expected
	case *runtime.EventConsoleAPICalled:
		if ev.Type != runtime.ConsoleAPICalledTypeError && ev.Type != runtime.ConsoleAPICalledTypeAssert {
			return
		}
		args := make([]string, len(ev.Args))
		for i, a := range ev.Args {
			args[i] = argText(a.Value, a.Description)
		}
		r.add(nil, fmt.Sprintf("console.%s: %s%s", ev.Type, strings.Join(args, " "), stackTop(ev.StackTrace)))
	case *runtime.EventExceptionThrown:
		d := ev.ExceptionDetails
		msg := d.Text
		if d.Exception != nil && d.Exception.Description != "" {
			msg += " " + d.Exception.Description
		}
		r.add(nil, fmt.Sprintf("uncaught exception at %s:%d:%d: %s", d.URL, d.LineNumber+1, d.ColumnNumber+1, msg))
	case *cdplog.EventEntryAdded:
		e := ev.Entry
		if e.Level != cdplog.EntryLevelError {
			return
		}
		// Chromium logs every HTTP error answer too ("Failed to load
		// resource: … 401"); it is expected when the answer is.
		req := r.requests[string(e.NetworkRequestID)]
		if e.NetworkRequestID == "" {
			req = nil
		}
		r.add(req, fmt.Sprintf("browser log (%s): %s %s", e.Source, e.Text, e.URL))
	}
}

func stackTop(st *runtime.StackTrace) string {
	if st == nil || len(st.CallFrames) == 0 {
		return ""
	}
	f := st.CallFrames[0]
	return fmt.Sprintf(" (at %s:%d:%d)", f.URL, f.LineNumber+1, f.ColumnNumber+1)
}
