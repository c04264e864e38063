// Command update-report-schedule is the Lambda function of PUT /api/report-schedules/{scheduleId}: edit, pause or resume a schedule.
package main

import (
	"log"
	_ "time/tzdata" // schedules run at a time of day in their own time zone

	"proportal/internal/app"
	"proportal/internal/httpapi"
)

func main() {
	if err := app.RunLambda(httpapi.UpdateReportSchedule, nil); err != nil {
		log.Fatal(err)
	}
}
