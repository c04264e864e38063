package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"sync"
	"time"

	"proportal/internal/app"
	"proportal/internal/domain"
)

// platform creates a learning platform or rotates its key; the key is
// printed once and never stored.
func platform(ctx context.Context, args []string, out, errOut io.Writer) error {
	if len(args) != 2 || (args[0] != "create" && args[0] != "rotate") {
		fmt.Fprint(errOut, usage)
		return errors.New("platform takes create NAME or rotate PLATFORM_ID")
	}
	a, err := app.New(ctx, nil)
	if err != nil {
		return err
	}
	if args[0] == "create" {
		p, err := a.Services.Platforms.Create(ctx, args[1])
		if err != nil {
			return describe(err)
		}
		fmt.Fprintf(out, `Created platform %q (%s).
Its key, shown once (send it as Authorization: Bearer to POST /api/ingest/events):
  %s
`, p.Platform.Name, p.Platform.ID, p.Key)
		return nil
	}
	p, err := a.Services.Platforms.Rotate(ctx, args[1])
	if err != nil {
		return describe(err)
	}
	fmt.Fprintf(out, `Rotated the key of platform %s. The new key, shown once:
  %s
The previous key works until %s; the one before it no longer does.
`, p.Platform.ID, p.Key, p.Platform.PreviousKeyExpiresAt.UTC().Format("2006-01-02 15:04 MST"))
	return nil
}

// replayActivity sends generated activity (the demo seed's generator) for an
// organization's users, directly through the ingestion or over HTTP with a
// platform key: a load test of ingestion.
func replayActivity(ctx context.Context, args []string, out, errOut io.Writer) error {
	fs := flag.NewFlagSet("replay-activity", flag.ContinueOnError)
	fs.SetOutput(errOut)
	orgID := fs.String("org", "", "the organization's id")
	days := fs.Int("days", 90, "days of activity, back from now")
	users := fs.Int("users", 100, "how many of the organization's users (the first, alphabetically)")
	seed := fs.Uint64("seed", 1, "the generator's seed: the same seed gives the same events (sent again: duplicates)")
	sessions := fs.Float64("sessions", 1, "how often learners come, against their habit (the demo seed uses 0.4)")
	batch := fs.Int("batch", domain.MaxIngestBatch, "events per batch (at most 500 over HTTP)")
	url := fs.String("url", "", "the portal's base URL, e.g. http://localhost:8080: send over HTTP instead of directly")
	key := fs.String("key", os.Getenv("PLATFORM_KEY"), "the platform key for -url (default $PLATFORM_KEY)")
	parallel := fs.Int("parallel", 1, "batches in flight at once over HTTP")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if !domain.ValidID(*orgID) || *days < 1 || *days > 366 || *users < 1 {
		return errors.New("give -org ORG_ID, -days 1 to 366 and -users 1 or more")
	}
	if *url != "" && (*key == "" || *batch > domain.MaxIngestBatch) {
		return errors.New("over HTTP, give the platform key (-key or PLATFORM_KEY) and at most 500 events a batch")
	}
	a, err := app.New(ctx, nil)
	if err != nil {
		return err
	}
	learners, err := firstUsers(ctx, a, *orgID, *users)
	if err != nil {
		return err
	}
	catalog, err := a.Store.FindCatalog(ctx)
	if err != nil {
		return err
	}
	events := domain.GenerateActivity(domain.ActivityPlan{
		OrgID: *orgID, Learners: learners, Catalog: catalog, Days: *days, Now: time.Now(), Seed: *seed, Sessions: *sessions,
	})
	fmt.Fprintf(out, "Generated %d events for %d learners over %d days.\n", len(events), len(learners), *days)
	start := time.Now()
	var res domain.Replayed
	if *url == "" {
		res, err = a.Services.Ingest.Replay(ctx, events, *batch)
	} else {
		res, err = replayOverHTTP(ctx, strings.TrimRight(*url, "/")+"/api/ingest/events", *key, events, *batch, max(*parallel, 1))
	}
	took := time.Since(start)
	fmt.Fprintf(out, "Sent %d events in %v (%.0f events/s): %d accepted, %d duplicates, %d rejected.\n",
		res.Events, took.Round(time.Millisecond), float64(res.Events)/took.Seconds(), res.Accepted, res.Duplicates, res.Rejected)
	for _, r := range res.FirstRejections {
		fmt.Fprintf(out, "  event %d: %s %s: %s\n", r.Index, r.Code, r.Field, r.Message)
	}
	return err
}

// firstUsers are the first n users of an organization, alphabetically.
func firstUsers(ctx context.Context, a *app.App, orgID string, n int) ([]domain.User, error) {
	if _, err := a.Store.FindOrganization(ctx, orgID); err != nil {
		return nil, fmt.Errorf("organization %s: %w", orgID, err)
	}
	var users []domain.User
	after := ""
	for len(users) < n {
		page, next, err := a.Store.FindUsers(ctx, orgID, domain.UserQuery{Status: "all", Limit: min(n-len(users), 100), After: after})
		if err != nil {
			return nil, err
		}
		users = append(users, page...)
		if next == "" {
			break
		}
		after = next
	}
	return users, nil
}

// replayOverHTTP posts the events in batches, parallel at a time, as the
// platform would, and sends a batch answered 5xx again (at most 3 times).
func replayOverHTTP(ctx context.Context, url, key string, events []domain.Event, batch, parallel int) (domain.Replayed, error) {
	res := domain.Replayed{Events: len(events)}
	var mu sync.Mutex
	var firstErr error
	starts := make(chan int)
	var wg sync.WaitGroup
	client := &http.Client{Timeout: 60 * time.Second}
	for range parallel {
		wg.Go(func() {
			for lo := range starts {
				part := events[lo:min(lo+batch, len(events))]
				got, err := postBatch(ctx, client, url, key, part)
				mu.Lock()
				res.Accepted += got.Accepted
				res.Duplicates += got.Duplicates
				res.Rejected += len(got.Rejected)
				for _, r := range got.Rejected {
					if len(res.FirstRejections) < 5 {
						res.FirstRejections = append(res.FirstRejections, domain.Rejection{Index: lo + r.Index, Code: r.Code, Field: r.Field, Message: r.Message})
					}
				}
				if err != nil && firstErr == nil {
					firstErr = err
				}
				mu.Unlock()
			}
		})
	}
	for lo := 0; lo < len(events); lo += batch {
		starts <- lo
	}
	close(starts)
	wg.Wait()
	return res, firstErr
}

type batchAnswer struct {
	Accepted   int `json:"accepted"`
	Duplicates int `json:"duplicates"`
	Rejected   []struct {
		Index   int    `json:"index"`
		Code    string `json:"code"`
		Field   string `json:"field"`
		Message string `json:"message"`
	} `json:"rejected"`
}

func postBatch(ctx context.Context, client *http.Client, url, key string, events []domain.Event) (batchAnswer, error) {
	type eventJSON struct {
		ID        string `json:"id"`
		OrgID     string `json:"orgId"`
		UserID    string `json:"userId"`
		Kind      string `json:"kind"`
		At        string `json:"at"`
		CourseID  string `json:"courseId,omitempty"`
		EpisodeID string `json:"episodeId,omitempty"`
		Seconds   *int   `json:"seconds,omitempty"`
		Completed bool   `json:"completed,omitempty"`
		LabID     string `json:"labId,omitempty"`
		Status    string `json:"status,omitempty"`
		Score     *int   `json:"score,omitempty"`
	}
	list := make([]eventJSON, len(events))
	for i, e := range events {
		in := domain.InputOf(e, i)
		list[i] = eventJSON{ID: in.ID, OrgID: in.OrgID, UserID: in.UserID, Kind: in.Kind, At: in.At, CourseID: in.CourseID,
			EpisodeID: in.EpisodeID, Seconds: in.Seconds, Completed: in.Completed, LabID: in.LabID, Status: in.Status, Score: in.Score}
	}
	body, err := json.Marshal(map[string]any{"events": list})
	if err != nil {
		return batchAnswer{}, err
	}
	for try := 1; ; try++ {
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
		if err != nil {
			return batchAnswer{}, err
		}
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+key)
		resp, err := client.Do(req)
		if err != nil {
			return batchAnswer{}, err
		}
		data, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		var got batchAnswer
		json.Unmarshal(data, &got)
		switch {
		case resp.StatusCode == http.StatusOK || resp.StatusCode == http.StatusBadRequest && len(got.Rejected) > 0:
			return got, nil
		case resp.StatusCode >= 500 && try < 3:
			time.Sleep(time.Duration(try) * time.Second)
		default:
			return got, fmt.Errorf("POST %s: %d %s", url, resp.StatusCode, bytes.TrimSpace(data))
		}
	}
}
