// Command continue-team-change is the Lambda function of the
// ContinueTeamChange job: it goes on with large team changes from the
// TeamChangesQueue.
package main

import (
	"log"

	"proportal/internal/app"
	"proportal/internal/worker"
)

func main() {
	if err := app.RunJob(worker.ContinueTeamChange, nil); err != nil {
		log.Fatal(err)
	}
}
