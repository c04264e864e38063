// Command get-dashboard is the Lambda function of GET /api/dashboard.
package main

import (
	"log"

	"proportal/internal/app"
)

func main() {
	if err := app.RunLambda("GetDashboard", nil); err != nil {
		log.Fatal(err)
	}
}
