package domain

import (
	"net"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// User statuses.
const (
	// StatusInvited: invited, has not created a password yet.
	StatusInvited = "invited"
	// StatusActive: can sign in; holds a seat, admin rights or both.
	StatusActive = "active"
	// StatusInactive: deactivated; no seat and no admin rights. History is kept.
	StatusInactive = "inactive"
)

// Access choices when inviting someone.
const (
	// AccessSubscription gives a learner seat.
	AccessSubscription = "subscription"
	// AccessAdmin gives portal admin rights and uses no seat.
	AccessAdmin = "admin"
	// AccessBoth gives a seat and admin rights.
	AccessBoth = "both"
)

// User is a person in an organization.
type User struct {
	ID        string
	OrgID     string
	FirstName string
	LastName  string
	// Email is normalized (see NormalizeEmail) and unique across the platform.
	Email  string
	Status string
	Seat   bool
	Admin  bool
	// PasswordHash is an argon2id PHC string; empty until the password is created.
	PasswordHash string
	// SessionVersion is stamped on every session at sign-in; raising it ends them all at once.
	SessionVersion int
	TeamIDs        []string
	CreatedAt      time.Time
	LastLoginAt    time.Time
	// InviteTokenHash and ResetTokenHash are the hashes of the user's one
	// outstanding invite and reset link; a link whose hash is not here any more
	// was replaced and no longer works.
	InviteTokenHash string
	ResetTokenHash  string
	// Revision counts the saved changes; a save of a user read at an older
	// revision is refused, so concurrent changes cannot overwrite each other.
	Revision int
	// SeatSince is when the person last got their seat (set by the store when
	// a change gives one; zero for seats given before it was recorded).
	SeatSince time.Time
	// LastActiveAt is the learner's last sign-in, viewing or lab on the
	// learning platform, as ingested (zero before any).
	LastActiveAt time.Time
	// KeepSeat puts a seat holder on the idle seats' exception list: they
	// keep their seat however long they are idle.
	KeepSeat bool
	// RemindedAt is when an admin last sent them an idle-seat reminder.
	RemindedAt time.Time
}

// LastSeen is the latest of the person's last activity, last sign-in to the
// portal and the moment they got their seat (their creation for seats given
// before SeatSince was recorded): how long a seat holder has been idle is
// counted from it.
func (u *User) LastSeen() time.Time {
	seen := u.SeatSince
	if seen.IsZero() {
		seen = u.CreatedAt
	}
	for _, t := range []time.Time{u.LastActiveAt, u.LastLoginAt} {
		if t.After(seen) {
			seen = t
		}
	}
	return seen.UTC()
}

// settle derives the status from the seat, admin rights and password: no seat
// and no admin rights is inactive; otherwise invited until a password exists.
// Becoming inactive ends every session.
func (u *User) settle() {
	was := u.Status
	switch {
	case !u.Seat && !u.Admin:
		u.Status = StatusInactive
	case u.PasswordHash == "":
		u.Status = StatusInvited
	default:
		u.Status = StatusActive
	}
	if u.Status == StatusInactive && was != StatusInactive {
		u.SessionVersion++
	}
}

// FullName is first and last name.
func (u *User) FullName() string { return u.FirstName + " " + u.LastName }

// InTeam reports whether the user is a member of a team.
func (u *User) InTeam(teamID string) bool {
	for _, t := range u.TeamIDs {
		if t == teamID {
			return true
		}
	}
	return false
}

// CanSignIn reports whether the user may hold a session.
func (u *User) CanSignIn() bool {
	return u.Status == StatusActive && (u.Seat || u.Admin)
}

// NewUser is the input for creating a person: an invite, or the operator's first admin.
type NewUser struct {
	FirstName string
	LastName  string
	Email     string
	Access    string
}

// Limits on user input.
const (
	maxNameLength  = 100
	maxEmailLength = 254
)

// validateInto normalizes n and records its problems in p, naming fields with prefix.
func (n *NewUser) validateInto(p Problems, prefix string) {
	n.FirstName = strings.TrimSpace(n.FirstName)
	n.LastName = strings.TrimSpace(n.LastName)
	checkName(p, prefix+"firstName", n.FirstName)
	checkName(p, prefix+"lastName", n.LastName)
	email, problem := EmailProblem(n.Email)
	if problem != "" {
		p.Add(prefix+"email", problem)
	}
	n.Email = email
	switch n.Access {
	case AccessSubscription, AccessAdmin, AccessBoth:
	default:
		p.Add(prefix+"access", `must be "subscription", "admin" or "both"`)
	}
}

func checkName(p Problems, field, name string) {
	switch {
	case name == "":
		p.Add(field, "is required")
	case utf8.RuneCountInString(name) > maxNameLength:
		p.Add(field, "must be at most 100 characters")
	case strings.ContainsFunc(name, unicode.IsControl):
		p.Add(field, "must not contain control characters")
	case strings.ContainsFunc(name, bidiControl):
		p.Add(field, "must not contain direction controls (such as a right-to-left override)")
	case longestMarkRun(norm.NFC.String(name)) > maxCombiningMarks:
		p.Add(field, "must not stack more than 2 accents or marks on one letter")
	}
}

// maxCombiningMarks is how many combining marks may follow one another in a
// name (counted after NFC composition): enough for the accents of every
// script, too few to overprint the lines above and below.
const maxCombiningMarks = 2

// bidiControl reports the characters that change the direction of the text
// around them: embeddings and overrides (U+202A–U+202E), isolates
// (U+2066–U+2069) and the marks U+200E, U+200F and U+061C. In a name they can
// reverse the rest of a list row or a subject line.
func bidiControl(r rune) bool {
	return r >= 0x202A && r <= 0x202E || r >= 0x2066 && r <= 0x2069 || r == 0x200E || r == 0x200F || r == 0x061C
}

// longestMarkRun is the length of the longest run of combining marks in s.
func longestMarkRun(s string) int {
	longest, run := 0, 0
	for _, r := range s {
		if unicode.Is(unicode.M, r) {
			run++
			longest = max(longest, run)
		} else {
			run = 0
		}
	}
	return longest
}

// displayText is a name made safe to show where it cannot be escaped, such as
// in a mail's subject and text: direction controls removed, and runs of
// combining marks cut to maxCombiningMarks. Names are refused with these at
// the door; this covers the ones stored before.
func displayText(s string) string {
	s = norm.NFC.String(s)
	var b strings.Builder
	run := 0
	for _, r := range s {
		switch {
		case bidiControl(r):
			continue
		case unicode.Is(unicode.M, r):
			run++
			if run > maxCombiningMarks {
				continue
			}
		default:
			run = 0
		}
		b.WriteRune(r)
	}
	return b.String()
}

// NormalizeEmail returns the normal form of an address (see EmailProblem) and
// whether it is one we accept.
func NormalizeEmail(raw string) (string, bool) {
	email, problem := EmailProblem(raw)
	return email, problem == ""
}

// Why an address is refused, as a validation message for its field.
const (
	emailNotAnAddress   = "must be an email address like name@company.com"
	emailTooLong        = "must be at most 254 characters"
	emailInvisible      = "must not contain invisible, control or direction characters"
	emailNotASCII       = "must be written in plain ASCII (a–z, 0–9 and punctuation): addresses with accented or non-Latin letters, like ünï@dömäin.test, cannot receive our mail yet"
	emailNotADomainName = "must end in a domain name like company.com, not an IP address"
)

// EmailProblem normalizes an address and says what is wrong with it, or ""
// when it is one we accept. What an address is (docs/decisions.md):
//
//   - surrounding white space is trimmed; inside, format characters (zero-width
//     spaces and joiners, direction marks) and control characters are refused,
//     never silently removed;
//   - it is normalized by NFKC, so full-width letters become ASCII, and
//     lower-cased: addresses are compared and stored in this form;
//   - it must then be ASCII: internationalized addresses (RFC 6531) are refused,
//     because SES needs ASCII addresses and our look-alike rule (one account per
//     address) holds only where two addresses that look alike are alike;
//   - the local part is a dot-atom (RFC 5321, without quoted strings) of at most
//     64 characters; the domain is a DNS host name of at least two labels (each
//     1–63 letters, digits and inner hyphens) ending in an alphabetic top-level
//     domain, so IP literals (x@127.0.0.1, a@[127.0.0.1]) are refused;
//   - the whole is at most 254 characters.
func EmailProblem(raw string) (email, problem string) {
	email = strings.TrimSpace(raw)
	if strings.ContainsFunc(email, invisible) {
		return email, emailInvisible
	}
	email = strings.ToLower(norm.NFKC.String(email))
	if strings.ContainsFunc(email, invisible) {
		return email, emailInvisible
	}
	if email == "" {
		return email, emailNotAnAddress
	}
	if len(email) > maxEmailLength {
		return email, emailTooLong
	}
	for _, r := range email {
		if r >= utf8.RuneSelf {
			return email, emailNotASCII
		}
	}
	at := strings.LastIndexByte(email, '@')
	if at < 0 {
		return email, emailNotAnAddress
	}
	local, domainName := email[:at], email[at+1:]
	if !dotAtom(local) {
		return email, emailNotAnAddress
	}
	if strings.HasPrefix(domainName, "[") || net.ParseIP(domainName) != nil {
		return email, emailNotADomainName
	}
	if !hostName(domainName) {
		if strings.Trim(domainName, "0123456789.") == "" && domainName != "" {
			return email, emailNotADomainName
		}
		return email, emailNotAnAddress
	}
	return email, ""
}

// invisible reports a character that shows nothing or changes how others show:
// format characters (Cf: zero-width, direction), controls and separators
// other than the ordinary space, which the dot-atom refuses anyway.
func invisible(r rune) bool {
	return unicode.Is(unicode.Cf, r) || unicode.IsControl(r) || (unicode.IsSpace(r) && r != ' ') ||
		unicode.Is(unicode.Zl, r) || unicode.Is(unicode.Zp, r)
}

// atext are the characters of a dot-atom besides letters and digits (RFC 5321).
const atext = "!#$%&'*+-/=?^_`{|}~"

// dotAtom reports whether s is an RFC 5321 dot-atom local part of at most 64
// characters: atext runs separated by single dots.
func dotAtom(s string) bool {
	if s == "" || len(s) > 64 {
		return false
	}
	for _, part := range strings.Split(s, ".") {
		if part == "" {
			return false
		}
		for _, c := range []byte(part) {
			if !isAlnum(c) && !strings.ContainsRune(atext, rune(c)) {
				return false
			}
		}
	}
	return true
}

// hostName reports whether s is a DNS host name of two labels or more whose
// last label, the top-level domain, has letters only.
func hostName(s string) bool {
	labels := strings.Split(s, ".")
	if len(s) > 253 || len(labels) < 2 {
		return false
	}
	for _, l := range labels {
		if l == "" || len(l) > 63 || l[0] == '-' || l[len(l)-1] == '-' {
			return false
		}
		for _, c := range []byte(l) {
			if !isAlnum(c) && c != '-' {
				return false
			}
		}
	}
	tld := labels[len(labels)-1]
	if len(tld) < 2 {
		return false
	}
	for _, c := range []byte(tld) {
		if c < 'a' || c > 'z' {
			return false
		}
	}
	return true
}

func isAlnum(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= '0' && c <= '9'
}

// SortName is the key users are listed by: last name, then first name, case-insensitively.
func (u *User) SortName() string {
	return strings.ToLower(u.LastName) + "\x1f" + strings.ToLower(u.FirstName)
}
