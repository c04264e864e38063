// Command send-reminders is the Lambda function of the SendReminders job:
// every hour it finds the assignments whose due-date reminders are due (and,
// on Mondays, the organizations whose digest is due), claims each and queues
// its mail on RemindersQueue.
package main

import (
	"log"

	"proportal/internal/app"
	"proportal/internal/sqs"
	"proportal/internal/worker"
)

func main() {
	if err := app.RunJob(worker.SendReminders, nil, sqs.FromConfig); err != nil {
		log.Fatal(err)
	}
}
