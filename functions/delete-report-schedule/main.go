// Command delete-report-schedule is the Lambda function of DELETE /api/report-schedules/{scheduleId}.
package main

import (
	"log"

	"proportal/internal/app"
	"proportal/internal/httpapi"
)

func main() {
	if err := app.RunLambda(httpapi.DeleteReportSchedule, nil); err != nil {
		log.Fatal(err)
	}
}
