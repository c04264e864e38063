// Command remind-idle-seats is the Lambda function of POST /api/idle-seats/remind.
package main

import (
	"log"

	"proportal/internal/app"
	"proportal/internal/httpapi"
	"proportal/internal/ses"
)

func main() {
	if err := app.RunLambda(httpapi.RemindIdleSeats, ses.FromConfig); err != nil {
		log.Fatal(err)
	}
}
