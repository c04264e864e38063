// Command get-dashboard is the Lambda function of GET /api/dashboard.
package main

import (
	"log"
	_ "time/tzdata" // overdue is judged on days in the organization's time zone

	"proportal/internal/app"
	"proportal/internal/httpapi"
)

func main() {
	if err := app.RunLambda(httpapi.GetDashboard, nil); err != nil {
		log.Fatal(err)
	}
}
