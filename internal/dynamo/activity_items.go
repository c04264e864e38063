package dynamo

import (
	"strings"
	"time"

	"proportal/internal/domain"
)

// Stored forms of activity (docs/data-model.md, "Activity"). Aggregates are
// changed with ADD, so their counters' attribute names are fixed here.

type eventItem struct {
	key
	GSI1PK     string    `dynamodbav:"gsi1pk"`
	GSI1SK     string    `dynamodbav:"gsi1sk"`
	GSI2PK     string    `dynamodbav:"gsi2pk"`
	GSI2SK     string    `dynamodbav:"gsi2sk"`
	Type       string    `dynamodbav:"type"`
	ID         string    `dynamodbav:"id"`
	UserID     string    `dynamodbav:"userId"`
	Kind       string    `dynamodbav:"kind"`
	At         time.Time `dynamodbav:"at"`
	CourseID   string    `dynamodbav:"courseId,omitempty"`
	EpisodeID  string    `dynamodbav:"episodeId,omitempty"`
	Seconds    int       `dynamodbav:"seconds,omitempty"`
	Completed  bool      `dynamodbav:"completed,omitempty"`
	LabID      string    `dynamodbav:"labId,omitempty"`
	Status     string    `dynamodbav:"status,omitempty"`
	Score      int       `dynamodbav:"score,omitempty"`
	ReceivedAt time.Time `dynamodbav:"receivedAt"`
	// Writer is the write that recorded the event (a random id per
	// RecordActivity chunk), so a retry can tell its own earlier write.
	Writer string `dynamodbav:"writer,omitempty"`
}

func toEventItem(e domain.Event, receivedAt time.Time) eventItem {
	return eventItem{
		key:    eventKey(e.OrgID, e.ID),
		GSI1PK: orgEventsPK(e.OrgID, e.Kind, eventShard(e.ID, domain.ActivityShards)),
		GSI1SK: eventSK(e.At, e.ID),
		GSI2PK: userEventsPK(e.OrgID, e.UserID, e.Kind),
		GSI2SK: eventSK(e.At, e.ID),
		Type:   "event", ID: e.ID, UserID: e.UserID, Kind: e.Kind, At: e.At.UTC(),
		CourseID: e.CourseID, EpisodeID: e.EpisodeID, Seconds: e.Seconds, Completed: e.Completed,
		LabID: e.LabID, Status: e.Status, Score: e.Score, ReceivedAt: receivedAt.UTC(),
	}
}

func (it eventItem) toDomain(orgID string) domain.Event {
	return domain.Event{
		ID: it.ID, OrgID: orgID, UserID: it.UserID, Kind: it.Kind, At: it.At,
		CourseID: it.CourseID, EpisodeID: it.EpisodeID, Seconds: it.Seconds, Completed: it.Completed,
		LabID: it.LabID, Status: it.Status, Score: it.Score,
	}
}

// usageItem is a day's or week's usage of an org, a team or a learner.
type usageItem struct {
	key
	Viewings       int `dynamodbav:"viewings"`
	Seconds        int `dynamodbav:"seconds"`
	Completed      int `dynamodbav:"completed"`
	LabsStarted    int `dynamodbav:"labsStarted"`
	LabsCompleted  int `dynamodbav:"labsCompleted"`
	Logins         int `dynamodbav:"logins"`
	ActiveLearners int `dynamodbav:"activeLearners"`
}

func (it usageItem) toDomain() domain.UsagePeriod {
	start := it.SK
	if i := strings.IndexByte(start, '#'); i >= 0 {
		start = start[i+1:]
	}
	return domain.UsagePeriod{Start: start, Usage: domain.Usage{
		Viewings: it.Viewings, Seconds: it.Seconds, Completed: it.Completed,
		LabsStarted: it.LabsStarted, LabsCompleted: it.LabsCompleted,
		Logins: it.Logins, ActiveLearners: it.ActiveLearners,
	}}
}

type learnerSummaryItem struct {
	key
	Logins            int       `dynamodbav:"logins"`
	LastLoginAt       time.Time `dynamodbav:"lastLoginAt"`
	Viewings          int       `dynamodbav:"viewings"`
	Seconds           int       `dynamodbav:"seconds"`
	EpisodesCompleted int       `dynamodbav:"episodesCompleted"`
	LabsStarted       int       `dynamodbav:"labsStarted"`
	LabsCompleted     int       `dynamodbav:"labsCompleted"`
	FirstActiveAt     time.Time `dynamodbav:"firstActiveAt"`
	LastActiveAt      time.Time `dynamodbav:"lastActiveAt"`
	Rev               int       `dynamodbav:"rev"`
}

func (it learnerSummaryItem) toDomain() domain.LearnerSummary {
	return domain.LearnerSummary{
		Logins: it.Logins, LastLoginAt: it.LastLoginAt, Viewings: it.Viewings, Seconds: it.Seconds,
		EpisodesCompleted: it.EpisodesCompleted, LabsStarted: it.LabsStarted, LabsCompleted: it.LabsCompleted,
		FirstActiveAt: it.FirstActiveAt, LastActiveAt: it.LastActiveAt,
	}
}

type learnerEpisodeItem struct {
	key
	EpisodeID   string    `dynamodbav:"episodeId"`
	CourseID    string    `dynamodbav:"courseId"`
	Viewings    int       `dynamodbav:"viewings"`
	Seconds     int       `dynamodbav:"seconds"`
	CompletedAt time.Time `dynamodbav:"completedAt,omitempty"`
	LastAt      time.Time `dynamodbav:"lastAt"`
	Rev         int       `dynamodbav:"rev"`
}

func (it learnerEpisodeItem) toDomain() domain.EpisodeProgress {
	return domain.EpisodeProgress{
		EpisodeID: it.EpisodeID, CourseID: it.CourseID, Viewings: it.Viewings, Seconds: it.Seconds,
		CompletedAt: it.CompletedAt, LastAt: it.LastAt,
	}
}

type learnerLabItem struct {
	key
	LabID       string    `dynamodbav:"labId"`
	Attempts    int       `dynamodbav:"attempts"`
	Completions int       `dynamodbav:"completions"`
	CompletedAt time.Time `dynamodbav:"completedAt,omitempty"`
	BestScore   int       `dynamodbav:"bestScore"`
	LastAt      time.Time `dynamodbav:"lastAt"`
	Rev         int       `dynamodbav:"rev"`
}

func (it learnerLabItem) toDomain() domain.LabProgress {
	return domain.LabProgress{
		LabID: it.LabID, Attempts: it.Attempts, Completions: it.Completions,
		CompletedAt: it.CompletedAt, BestScore: it.BestScore, LastAt: it.LastAt,
	}
}
