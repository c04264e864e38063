// Package lambdaname is how a Lambda function's name (an API route's or a
// job's, e.g. GetMe) becomes its folder under functions/ and events/
// (get-me) and its logical id in template.yaml (GetMeFunction). The
// Makefile's kebab does the same in sed; internal/sam checks they agree.
package lambdaname

import (
	"strings"
	"unicode"
)

// Dir writes a name like GetMe as get-me: the function's folder under
// functions/ and its sample event's name under events/.
func Dir(name string) string {
	var b strings.Builder
	for i, c := range name {
		if unicode.IsUpper(c) {
			if i > 0 {
				prev := rune(name[i-1])
				if unicode.IsLower(prev) || unicode.IsDigit(prev) {
					b.WriteByte('-')
				}
			}
			c = unicode.ToLower(c)
		}
		b.WriteRune(c)
	}
	return b.String()
}

// FunctionID is the function's logical id in template.yaml.
func FunctionID(name string) string { return name + "Function" }
