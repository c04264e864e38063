// Command list-report-deliveries is the Lambda function of GET /api/report-schedules/{scheduleId}/deliveries: a schedule's latest deliveries.
package main

import (
	"log"

	"proportal/internal/app"
	"proportal/internal/httpapi"
)

func main() {
	if err := app.RunLambda(httpapi.ListReportDeliveries, nil); err != nil {
		log.Fatal(err)
	}
}
