package domain

// Kinds of catalog item.
const (
	// KindCourse is a course: an ordered series of episodes.
	KindCourse = "course"
	// KindEpisode is one video episode of a course.
	KindEpisode = "episode"
	// KindLab is a hands-on practice lab.
	KindLab = "lab"
	// KindExam is a practice exam.
	KindExam = "exam"
)

// CatalogItem is one piece of the learning platform's content. The catalog is
// owned by the platform, read-only to admins and the same for every
// organization; ids are stable strings from the catalog file (e.g.
// "course-ccna", "ep-ccna-01", "lab-vlans").
type CatalogItem struct {
	ID    string
	Kind  string
	Title string
	// Topic groups courses for browsing ("Networking", "Security", ...).
	Topic string
	// CourseID is an episode's course; Position its place in the course (1-based).
	CourseID string
	Position int
	// Seconds is an episode's duration, or a course's total.
	Seconds int
	// Minutes is a lab's or exam's estimated time.
	Minutes int
	// EpisodeIDs are a course's episodes in order.
	EpisodeIDs []string
}

// ModuleItem is one catalog item in a learning module, with the title it had
// when the module was last saved (so a module stays readable if the catalog
// drops the item).
type ModuleItem struct {
	ID    string
	Kind  string
	Title string
}
