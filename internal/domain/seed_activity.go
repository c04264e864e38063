package domain

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"time"
)

// The activity generator: realistic learning habits for the demo seed and
// for load tests (portalctl replay-activity), deterministic given its seed.

// Learning habits of generated learners.
const (
	HabitDaily      = "daily"      // most working days, an episode or two
	HabitWeekly     = "weekly"     // a session a week, a few episodes
	HabitOccasional = "occasional" // a handful of sessions in the period
	HabitNever      = "never"      // signed in once or twice, never started
)

// ActivityPlan says what to generate: who, over which days, and how.
type ActivityPlan struct {
	OrgID string
	// Learners, in a stable order (the seed gives each the same habit every
	// time); Inactive ones stop half way through the period.
	Learners []User
	// Catalog is where the viewings and labs come from (courses with their
	// episodes in order, and labs); retired items are left out.
	Catalog []CatalogItem
	// Days is how many days back from Now the activity starts.
	Days int
	Now  time.Time
	Seed uint64
	// Tracks are catalog ids some learners go through first, in order (a
	// course stands for its episodes): the demo's finishers of assigned
	// modules.
	Tracks map[string][]string
	// Habits fixes some learners' habits (by user id); the others draw one.
	Habits map[string]string
	// Sessions scales how often learners come (0 or 1: as their habit
	// says; the demo seed takes 40%, to stay quick on moto).
	Sessions float64
}

// GenerateActivity makes the events of a plan, in time order: sign-ins, then
// the episodes of each learner's courses in order (a viewing watched far
// enough completes its episode, otherwise it is watched again next time),
// and now and then a lab, started and usually completed. The same plan
// gives the same events, ids included.
func GenerateActivity(p ActivityPlan) []Event {
	r := rand.New(rand.NewPCG(p.Seed, p.Seed^0x9e3779b97f4a7c15))
	episodes := map[string]CatalogItem{}
	var courses []CatalogItem
	var labs []CatalogItem
	for _, c := range p.Catalog {
		switch {
		case c.Retired:
		case c.Kind == KindEpisode:
			episodes[c.ID] = c
		case c.Kind == KindCourse && len(c.EpisodeIDs) > 0:
			courses = append(courses, c)
		case c.Kind == KindLab:
			labs = append(labs, c)
		}
	}
	slices.SortFunc(courses, func(a, b CatalogItem) int { return strings.Compare(a.ID, b.ID) })
	slices.SortFunc(labs, func(a, b CatalogItem) int { return strings.Compare(a.ID, b.ID) })
	byID := map[string]CatalogItem{}
	for _, c := range p.Catalog {
		byID[c.ID] = c
	}
	start := DayIn(p.Now, time.UTC).AddDate(0, 0, -p.Days)
	rate := p.Sessions
	if rate <= 0 {
		rate = 1
	}
	var all []Event
	for _, u := range p.Learners {
		habit := p.Habits[u.ID]
		roll := r.Float64()
		if habit == "" {
			switch {
			case roll < 0.15:
				habit = HabitDaily
			case roll < 0.55:
				habit = HabitWeekly
			case roll < 0.75:
				habit = HabitOccasional
			default:
				habit = HabitNever
			}
		}
		// What the learner watches and does, in order.
		var queue []CatalogItem
		for _, id := range p.Tracks[u.ID] {
			switch c := byID[id]; {
			case c.Kind == KindCourse:
				for _, e := range c.EpisodeIDs {
					if ep, ok := episodes[e]; ok {
						queue = append(queue, ep)
					}
				}
			case c.Kind == KindEpisode || c.Kind == KindLab:
				queue = append(queue, c)
			}
		}
		if len(courses) > 0 {
			for range 1 + r.IntN(2) {
				c := courses[r.IntN(len(courses))]
				for _, e := range c.EpisodeIDs {
					if ep, ok := episodes[e]; ok {
						queue = append(queue, ep)
					}
				}
			}
		}
		last := p.Days
		if u.Status == StatusInactive {
			last = p.Days / 2
		}
		var days []int
		switch habit {
		case HabitDaily:
			for d := range last {
				wd := start.AddDate(0, 0, d).Weekday()
				if (wd != time.Saturday && wd != time.Sunday && r.Float64() < 0.55*rate) || r.Float64() < 0.03*rate {
					days = append(days, d)
				}
			}
		case HabitWeekly:
			for w := 0; w*7 < last; w++ {
				if r.Float64() < 0.9*rate {
					days = append(days, min(w*7+r.IntN(5), last-1))
				}
			}
		case HabitOccasional:
			for range int(float64(3+r.IntN(4)) * rate) {
				days = append(days, r.IntN(max(last, 1)))
			}
			slices.Sort(days)
			days = slices.Compact(days)
		case HabitNever:
			for range r.IntN(3) {
				days = append(days, r.IntN(max(last, 1)))
			}
			slices.Sort(days)
			days = slices.Compact(days)
		}
		n := 0
		id := func() string {
			n++
			return fmt.Sprintf("gen-%d-%s-%04d", p.Seed, u.ID[:10], n)
		}
		for _, d := range days {
			at := start.AddDate(0, 0, d).Add(time.Duration(8*60+r.IntN(9*60)) * time.Minute)
			if !at.Before(p.Now) {
				continue
			}
			all = append(all, Event{ID: id(), OrgID: p.OrgID, UserID: u.ID, Kind: EventLogin, At: at})
			if habit == HabitNever {
				continue
			}
			views := 1 + r.IntN(2)
			switch habit {
			case HabitWeekly:
				views = 2 + r.IntN(2)
			case HabitOccasional:
				views = 1 + r.IntN(3)
			}
			for range views {
				if len(queue) == 0 {
					break
				}
				next := queue[0]
				at = at.Add(time.Duration(2+r.IntN(6)) * time.Minute)
				if !at.Before(p.Now) {
					break
				}
				if next.Kind == KindLab {
					all = append(all, Event{ID: id(), OrgID: p.OrgID, UserID: u.ID, Kind: EventLab, At: at, LabID: next.ID, Status: LabStarted})
					at = at.Add(time.Duration(next.Minutes) * time.Minute)
					if at.Before(p.Now) {
						all = append(all, Event{ID: id(), OrgID: p.OrgID, UserID: u.ID, Kind: EventLab, At: at,
							LabID: next.ID, Status: LabCompleted, Score: 60 + r.IntN(41)})
						queue = queue[1:]
					}
					continue
				}
				share := 0.5 + r.Float64()*0.5
				done := share >= 0.8
				if done {
					share = 1
				}
				all = append(all, Event{ID: id(), OrgID: p.OrgID, UserID: u.ID, Kind: EventViewing, At: at,
					CourseID: next.CourseID, EpisodeID: next.ID, Seconds: int(float64(next.Seconds) * share), Completed: done})
				at = at.Add(time.Duration(float64(next.Seconds)*share) * time.Second)
				if done {
					queue = queue[1:]
				}
			}
			// Now and then a lab beside the course, mostly completed.
			if len(labs) > 0 && r.Float64() < 0.12 {
				lab := labs[r.IntN(len(labs))]
				at = at.Add(5 * time.Minute)
				if at.Before(p.Now) {
					all = append(all, Event{ID: id(), OrgID: p.OrgID, UserID: u.ID, Kind: EventLab, At: at, LabID: lab.ID, Status: LabStarted})
					end := at.Add(time.Duration(lab.Minutes) * time.Minute)
					if r.Float64() < 0.7 && end.Before(p.Now) {
						all = append(all, Event{ID: id(), OrgID: p.OrgID, UserID: u.ID, Kind: EventLab, At: end,
							LabID: lab.ID, Status: LabCompleted, Score: 55 + r.IntN(46)})
					}
				}
			}
		}
	}
	slices.SortStableFunc(all, func(a, b Event) int { return a.At.Compare(b.At) })
	return all
}

// InputOf is an event as the platform would send it, at a place in a batch.
func InputOf(e Event, index int) EventInput {
	in := EventInput{
		Index: index, ID: e.ID, OrgID: e.OrgID, UserID: e.UserID, Kind: e.Kind, At: e.At.UTC().Format(time.RFC3339Nano),
		CourseID: e.CourseID, EpisodeID: e.EpisodeID, Completed: e.Completed, LabID: e.LabID, Status: e.Status,
	}
	if e.Kind == EventViewing {
		in.Seconds = &e.Seconds
	}
	if e.Kind == EventLab && e.Status == LabCompleted {
		in.Score = &e.Score
	}
	return in
}

// Replayed is what sending generated events came to.
type Replayed struct {
	Events, Accepted, Duplicates, Rejected int
	// FirstRejections are the first few reasons, to say what went wrong.
	FirstRejections []Rejection
}

// Replay sends events through the ingestion in batches of batchSize, in
// order; 0 sends them all as one batch (an operator's replay may pass
// MaxIngestBatch: the demo seed does, to feed assignment progress once per
// learner rather than once per learner and batch).
func (s *Ingest) Replay(ctx context.Context, events []Event, batchSize int) (Replayed, error) {
	if batchSize < 1 {
		batchSize = max(len(events), 1)
	}
	out := Replayed{Events: len(events)}
	for start := 0; start < len(events); start += batchSize {
		batch := events[start:min(start+batchSize, len(events))]
		in := make([]EventInput, len(batch))
		for i, e := range batch {
			in[i] = InputOf(e, i)
		}
		res, err := s.ingest(ctx, in)
		out.Accepted += res.Accepted
		out.Duplicates += res.Duplicates
		out.Rejected += len(res.Rejected)
		for _, r := range res.Rejected {
			if len(out.FirstRejections) < 5 {
				r.Index += start
				out.FirstRejections = append(out.FirstRejections, r)
			}
		}
		if err != nil && ErrorCode(err) != CodeValidationFailed {
			return out, fmt.Errorf("replay events %d to %d: %w", start, start+len(batch), err)
		}
	}
	return out, nil
}

// DemoActivityDays is how far back the demo's activity goes.
const DemoActivityDays = 90

// DemoSessions is how often the demo's learners come, against their habit:
// 40%, so that the seed (which every browser test runs) stays quick on moto.
const DemoSessions = 0.4

// DemoActivitySeed makes the demo's activity the same on every run.
const DemoActivitySeed = 10

// seedActivity gives the demo's learners 90 days of activity through the
// ingestion (as one batch: the same checks and writes as the platform's
// batches, with assignment progress fed once per learner): a mix of daily,
// weekly and occasional learners and people who never started, and a few who
// go through the modules assigned to them (and so finish them). The invited
// never signed in and have none.
func (o *Operator) seedActivity(ctx context.Context, orgID string, learners []User) error {
	catalog, err := o.store.FindCatalog(ctx)
	if err != nil {
		return fmt.Errorf("seed activity: %w", err)
	}
	var who []User
	for _, u := range learners {
		if u.Status != StatusInvited {
			who = append(who, u)
		}
	}
	plan := ActivityPlan{OrgID: orgID, Learners: who, Catalog: catalog, Days: DemoActivityDays, Now: o.now(), Seed: DemoActivitySeed,
		Tracks: map[string][]string{}, Habits: map[string]string{}, Sessions: DemoSessions}
	security := demoModules[0].items // assigned to every team
	linux := demoModules[3].items    // assigned to Support
	for i, track := range map[int][]string{3: security, 5: security, 8: linux, 11: security} {
		if i < len(learners) {
			plan.Tracks[learners[i].ID] = track
			plan.Habits[learners[i].ID] = HabitDaily
		}
	}
	if _, err := o.ingest.Replay(ctx, GenerateActivity(plan), 0); err != nil {
		return fmt.Errorf("seed activity: %w", err)
	}
	return nil
}
