// Command deliver-reminders is the Lambda function of the DeliverReminders
// job: from RemindersQueue it mails a page of an assignment's reminders
// (queueing the next page) or an organization's weekly digest to its admins.
package main

import (
	"log"

	"proportal/internal/app"
	"proportal/internal/ses"
	"proportal/internal/sqs"
	"proportal/internal/worker"
)

func main() {
	if err := app.RunJob(worker.DeliverReminders, ses.FromConfig, sqs.FromConfig); err != nil {
		log.Fatal(err)
	}
}
