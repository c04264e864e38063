// Package catalog holds the demo catalog, the learning platform's content as
// a file (catalog.json: courses with their episodes, labs and practice
// exams). `portalctl load-catalog catalog/catalog.json` loads it, and so does
// the demo seed (make run, the tests). scripts/catalog-gen.py wrote it.
package catalog

import _ "embed"

// Demo is catalog.json, the demo catalog, as read by domain.ParseCatalog.
//
//go:embed catalog.json
var Demo []byte
