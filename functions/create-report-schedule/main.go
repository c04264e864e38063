// Command create-report-schedule is the Lambda function of POST /api/report-schedules: a new report schedule.
package main

import (
	"log"
	_ "time/tzdata" // schedules run at a time of day in their own time zone

	"proportal/internal/app"
	"proportal/internal/httpapi"
)

func main() {
	if err := app.RunLambda(httpapi.CreateReportSchedule, nil); err != nil {
		log.Fatal(err)
	}
}
