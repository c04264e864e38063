package domain

import (
	"strings"
	"testing"
)

func TestEmailProblem(t *testing.T) {
	// longest is an address of exactly maxEmailLength (254) bytes whose local
	// part (64) and labels (63) are as long as they may be.
	domain189 := strings.Repeat("b", 63) + "." + strings.Repeat("c", 63) + "." + strings.Repeat("d", 57) + ".com"
	longest := strings.Repeat("a", 64) + "@" + domain189
	accepted := []struct {
		name string
		give string
		want string
	}{
		{"plain", "ada@example.com", "ada@example.com"},
		{"upper case", "Ada.Lovelace@Example.COM", "ada.lovelace@example.com"},
		{"surrounding spaces", "  ada@example.com \t\n", "ada@example.com"},
		{"plus and subdomain", "ada+news@mail.example.co.uk", "ada+news@mail.example.co.uk"},
		{"atext punctuation", "o'brien_x%y!#$&*/=?^`{|}~-z@example.com", "o'brien_x%y!#$&*/=?^`{|}~-z@example.com"},
		{"hyphen and digits in domain", "ada@mail-1.example2.com", "ada@mail-1.example2.com"},
		{"full-width letters", "ａｄａ＠ｅｘａｍｐｌｅ．ｃｏｍ", "ada@example.com"},
		{"full-width capitals", "ＡＤＡ@example.com", "ada@example.com"},
		{"254 bytes", longest, longest},
	}
	for _, tt := range accepted {
		t.Run(tt.name, func(t *testing.T) {
			got, problem := EmailProblem(tt.give)
			if got != tt.want || problem != "" {
				t.Errorf("EmailProblem(%q) = %q, %q; want %q, accepted", tt.give, got, problem, tt.want)
			}
			if got, ok := NormalizeEmail(tt.give); got != tt.want || !ok {
				t.Errorf("NormalizeEmail(%q) = %q, %v; want %q, true", tt.give, got, ok, tt.want)
			}
		})
	}

	refused := []struct {
		name string
		give string
		want string // the problem
	}{
		{"255 bytes", "a" + strings.Repeat("a", 63) + "a@" + domain189, emailTooLong},
		{"local part of 65", strings.Repeat("a", 65) + "@example.com", emailNotAnAddress},
		{"label of 64", "ada@" + strings.Repeat("b", 64) + ".com", emailNotAnAddress},
		{"empty", "", emailNotAnAddress},
		{"only spaces", "   ", emailNotAnAddress},
		{"display name", "Bob <b@x.com>", emailNotAnAddress},
		{"angle brackets", "<b@x.com>", emailNotAnAddress},
		{"comment", "b@x.com (Bob)", emailNotAnAddress},
		{"quoted local part", `"ada lovelace"@example.com`, emailNotAnAddress},
		{"no dot in domain", "ada@localhost", emailNotAnAddress},
		{"numeric top-level domain", "ada@example.123", emailNotAnAddress},
		{"one-letter top-level domain", "ada@example.c", emailNotAnAddress},
		{"label starts with a hyphen", "ada@-example.com", emailNotAnAddress},
		{"underscore in domain", "ada@ex_ample.com", emailNotAnAddress},
		{"no at", "ada.example.com", emailNotAnAddress},
		{"empty local part", "@example.com", emailNotAnAddress},
		{"two ats", "a@b@example.com", emailNotAnAddress},
		{"leading dot", ".ada@example.com", emailNotAnAddress},
		{"double dot in local part", "ada..l@example.com", emailNotAnAddress},
		{"space inside", "ada lovelace@example.com", emailNotAnAddress},
		{"trailing dot", "ada@example.com.", emailNotAnAddress},
		{"double dot in domain", "ada@example..com", emailNotAnAddress},
		{"two addresses", "a@x.com, b@x.com", emailNotAnAddress},
		{"IPv4 domain", "x@127.0.0.1", emailNotADomainName},
		{"IPv4 literal", "a@[127.0.0.1]", emailNotADomainName},
		{"IPv6 literal", "a@[IPv6:::1]", emailNotADomainName},
		{"internationalized", "ünï@dömäin.test", emailNotASCII},
		{"internationalized domain", "ada@dömäin.test", emailNotASCII},
		{"Cyrillic look-alike", "аda@example.com", emailNotASCII},
		{"NUL inside", "ada\x00@example.com", emailInvisible},
		{"newline inside", "ada\n@example.com", emailInvisible},
		{"DEL inside", "ada\x7f@example.com", emailInvisible},
		{"trailing zero-width space", "ada@example.com\u200b", emailInvisible},
		{"zero-width joiner inside", "a\u200dda@example.com", emailInvisible},
		{"soft hyphen inside", "a\u00adda@example.com", emailInvisible},
		{"right-to-left override", "\u202eada@example.com", emailInvisible},
		{"byte order mark", "\ufeffada@example.com", emailInvisible},
		{"no-break space inside", "ada\u00a0@example.com", emailInvisible},
	}
	for _, tt := range refused {
		t.Run(tt.name, func(t *testing.T) {
			got, problem := EmailProblem(tt.give)
			if problem != tt.want {
				t.Errorf("EmailProblem(%q) = %q, %q; want the problem %q", tt.give, got, problem, tt.want)
			}
			if _, ok := NormalizeEmail(tt.give); ok {
				t.Errorf("NormalizeEmail(%q) accepted it", tt.give)
			}
		})
	}
}

func TestUserCanSignIn(t *testing.T) {
	tests := []struct {
		name string
		give User
		want bool
	}{
		{"active with seat", User{Status: StatusActive, Seat: true}, true},
		{"active admin without seat", User{Status: StatusActive, Admin: true}, true},
		{"active with neither", User{Status: StatusActive}, false},
		{"invited with seat", User{Status: StatusInvited, Seat: true, Admin: true}, false},
		{"inactive", User{Status: StatusInactive}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.give.CanSignIn(); got != tt.want {
				t.Errorf("CanSignIn() = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestCheckName(t *testing.T) {
	zalgo := "Z" + strings.Repeat("\u0336\u0353\u0301", 10) + "algo"
	tests := []struct {
		name string
		give string
		want string // the problem, "" when accepted
	}{
		{"ASCII", "Ada", ""},
		{"accented, composed", "Zoë", ""},
		{"two marks on one letter, decomposed", "Nguye\u0302\u0303n", ""},
		{"three marks that compose to one letter with one", "Nguye\u0323\u0302\u0303n", ""},
		{"Devanagari", "क्षत्रिय", ""},
		{"Arabic", "محمد", ""},
		{"Hebrew", "דוד", ""},
		{"Thai with vowel and tone marks", "สมชาย", ""},
		{"right-to-left override", "Eve\u202Egpj.exe", "must not contain direction controls (such as a right-to-left override)"},
		{"left-to-right embedding", "\u202AEve", "must not contain direction controls (such as a right-to-left override)"},
		{"pop directional formatting", "Eve\u202C", "must not contain direction controls (such as a right-to-left override)"},
		{"right-to-left isolate", "\u2067Eve\u2069", "must not contain direction controls (such as a right-to-left override)"},
		{"first strong isolate", "\u2068Eve", "must not contain direction controls (such as a right-to-left override)"},
		{"left-to-right mark", "Eve\u200E", "must not contain direction controls (such as a right-to-left override)"},
		{"right-to-left mark", "Eve\u200F", "must not contain direction controls (such as a right-to-left override)"},
		{"Arabic letter mark", "Eve\u061C", "must not contain direction controls (such as a right-to-left override)"},
		{"three marks on one letter", "Zq\u0301\u0302\u0304", "must not stack more than 2 accents or marks on one letter"},
		{"zalgo", zalgo, "must not stack more than 2 accents or marks on one letter"},
		{"101 characters", strings.Repeat("a", 101), "must be at most 100 characters"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := Problems{}
			checkName(p, "firstName", tt.give)
			if got := p["firstName"]; got != tt.want {
				t.Errorf("checkName(%q) = %q, want %q", tt.give, got, tt.want)
			}
		})
	}
}

func TestDisplayText(t *testing.T) {
	tests := []struct {
		name, give, want string
	}{
		{"plain", "Ada Lovelace", "Ada Lovelace"},
		{"accents kept", "Nguyễn Zoë", "Nguyễn Zoë"},
		{"direction controls removed", "\u2067Eve\u202Egpj.exe\u200F\u061C", "Evegpj.exe"},
		{"marks cut to two a letter", "Zq\u0301\u0302\u0304\u0305lgo", "Zq\u0301\u0302lgo"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := displayText(tt.give); got != tt.want {
				t.Errorf("displayText(%q) = %q, want %q", tt.give, got, tt.want)
			}
		})
	}
}
