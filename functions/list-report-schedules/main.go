// Command list-report-schedules is the Lambda function of GET /api/report-schedules: the organization's report schedules.
package main

import (
	"log"

	"proportal/internal/app"
	"proportal/internal/httpapi"
)

func main() {
	if err := app.RunLambda(httpapi.ListReportSchedules, nil); err != nil {
		log.Fatal(err)
	}
}
