// Command send-report-now is the Lambda function of
// POST /api/report-schedules/{scheduleId}/deliveries ("send now"): it records
// a delivery and queues it for the RunScheduledReport job.
package main

import (
	"log"
	_ "time/tzdata" // schedules run at a time of day in their own time zone

	"proportal/internal/app"
	"proportal/internal/httpapi"
	"proportal/internal/sqs"
)

func main() {
	if err := app.RunLambda(httpapi.SendReportNow, nil, sqs.FromConfig); err != nil {
		log.Fatal(err)
	}
}
