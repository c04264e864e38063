// Command record-mail-events is the Lambda function of the RecordMailEvents
// job: SES's bounces and complaints of scheduled reports, from
// MailEventsQueue, marked on their deliveries and schedules.
package main

import (
	"log"

	"proportal/internal/app"
	"proportal/internal/worker"
)

func main() {
	if err := app.RunJob(worker.RecordMailEvents, nil); err != nil {
		log.Fatal(err)
	}
}
