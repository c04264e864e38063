// Command get-report-schedule is the Lambda function of GET /api/report-schedules/{scheduleId}.
package main

import (
	"log"

	"proportal/internal/app"
	"proportal/internal/httpapi"
)

func main() {
	if err := app.RunLambda(httpapi.GetReportSchedule, nil); err != nil {
		log.Fatal(err)
	}
}
