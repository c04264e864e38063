package password

import (
	_ "embed"
	"strings"
	"sync"
	"unicode/utf8"
)

// Length limits of a new password, after NIST SP 800-63B: long enough to
// resist guessing, no composition rules, generous enough for passphrases.
const (
	MinLength = 12
	MaxLength = 256
)

//go:embed common-passwords.txt
var commonList string

var (
	commonOnce sync.Once
	common     map[string]struct{}
)

func isCommon(pw string) bool {
	commonOnce.Do(func() {
		common = make(map[string]struct{}, 30000)
		for _, line := range strings.Split(commonList, "\n") {
			if line != "" && !strings.HasPrefix(line, "#") {
				common[line] = struct{}{}
			}
		}
	})
	_, found := common[strings.ToLower(pw)]
	return found
}

// oneCharacter reports whether pw is one character repeated.
func oneCharacter(pw string) bool {
	r, _ := utf8.DecodeRuneInString(pw)
	return strings.Trim(pw, string(r)) == ""
}

// Problem returns why pw may not be a new password, as a sentence for the
// person choosing it, or "" when it may.
func Problem(pw string) string {
	n := utf8.RuneCountInString(pw)
	switch {
	case n < MinLength:
		return "must be at least 12 characters; a few unrelated words make a strong password"
	case len(pw) > MaxLength:
		return "must be at most 256 characters"
	case isCommon(pw) || oneCharacter(pw):
		return "is one of the most common passwords; choose one that is harder to guess"
	}
	return ""
}
