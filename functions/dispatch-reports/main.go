// Command dispatch-reports is the Lambda function of the DispatchReports job:
// every minute it runs the report schedules that are due and queues their
// deliveries for the RunScheduledReport job.
package main

import (
	"log"
	_ "time/tzdata" // schedules run at a time of day in their own time zone

	"proportal/internal/app"
	"proportal/internal/sqs"
	"proportal/internal/worker"
)

func main() {
	if err := app.RunJob(worker.DispatchReports, nil, sqs.FromConfig); err != nil {
		log.Fatal(err)
	}
}
