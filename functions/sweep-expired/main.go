// Command sweep-expired is the Lambda function of the SweepExpired job: every
// hour it deletes expired one-time links, rate-limit windows and sessions.
package main

import (
	"log"

	"proportal/internal/app"
	"proportal/internal/worker"
)

func main() {
	if err := app.RunJob(worker.SweepExpired, nil); err != nil {
		log.Fatal(err)
	}
}
