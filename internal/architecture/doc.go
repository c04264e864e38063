// Package architecture holds no code: its test keeps the import rules of
// docs/architecture.md (which package may import which) true.
package architecture
