// Command list-audit is the Lambda function of GET /api/audit.
package main

import (
	"log"
	_ "time/tzdata" // a date range is days in the organization's time zone

	"proportal/internal/app"
	"proportal/internal/httpapi"
)

func main() {
	if err := app.RunLambda(httpapi.ListAudit, nil); err != nil {
		log.Fatal(err)
	}
}
