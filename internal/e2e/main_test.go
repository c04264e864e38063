package e2e

import (
	"os"
	"testing"

	"proportal/internal/testenv"
)

func TestMain(m *testing.M) { os.Exit(testenv.Main(m)) }
