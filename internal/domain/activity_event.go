package domain

import "time"

// Kinds of activity event.
const (
	// EventViewing is part or all of an episode watched.
	EventViewing = "viewing"
	// EventLab is a lab started or completed.
	EventLab = "lab"
	// EventLogin is a sign-in, through this portal's API or the platform's.
	EventLogin = "login"
)

// EventKinds are the kinds of activity event.
var EventKinds = []string{EventViewing, EventLab, EventLogin}

// Lab event statuses.
const (
	LabStarted   = "started"
	LabCompleted = "completed"
)

// MaxIngestBatch is the most events one ingestion request may carry.
const MaxIngestBatch = 500

// ActivityShards is how many partitions an organization's events of one kind
// are spread over (by event id), so that writes spread and an export reads
// them in parallel (docs/data-model.md, "Activity").
const ActivityShards = 8

// Event is one thing a learner did, as the learning platform (or this
// portal's sign-in) reports it. The ID is the sender's: an event whose ID an
// organization has seen already is counted once, however often it arrives.
type Event struct {
	ID     string
	OrgID  string
	UserID string
	Kind   string
	At     time.Time

	// A viewing: the episode (and its course), seconds watched in this
	// viewing, and whether the episode has now been watched completely.
	CourseID  string
	EpisodeID string
	Seconds   int
	Completed bool

	// A lab: started or completed, and the score (0–100) when completed.
	LabID  string
	Status string
	Score  int
}

// Usage is what an organization, a team or a learner did in a period (a day
// or a week in the organization's time zone).
type Usage struct {
	// Viewings counts viewing events; Seconds sums the seconds watched.
	Viewings int
	Seconds  int
	// Completed counts viewings that completed an episode.
	Completed int
	// LabsStarted and LabsCompleted count lab events.
	LabsStarted   int
	LabsCompleted int
	// Logins counts sign-ins.
	Logins int
	// ActiveLearners counts the distinct people who viewed or did a lab in
	// the period (organizations and teams; 1 or 0 for a learner).
	ActiveLearners int
}

// UsagePeriod is the usage of one day, or of one week (starting on Monday),
// in the organization's time zone.
type UsagePeriod struct {
	// Start is the day, or the week's Monday, as yyyy-mm-dd.
	Start string
	Usage
}

// LearnerSummary is the running total of one learner's activity, kept by
// ingestion so that reading it is one GetItem.
type LearnerSummary struct {
	Logins            int
	LastLoginAt       time.Time
	Viewings          int
	Seconds           int
	EpisodesCompleted int
	LabsStarted       int
	LabsCompleted     int
	FirstActiveAt     time.Time
	LastActiveAt      time.Time
}

// EpisodeProgress is one learner's viewing of one episode: in progress until
// CompletedAt is set.
type EpisodeProgress struct {
	EpisodeID   string
	CourseID    string
	Viewings    int
	Seconds     int
	CompletedAt time.Time
	LastAt      time.Time
}

// LabProgress is one learner's attempts at one lab.
type LabProgress struct {
	LabID       string
	Attempts    int
	Completions int
	CompletedAt time.Time
	BestScore   int
	LastAt      time.Time
}
