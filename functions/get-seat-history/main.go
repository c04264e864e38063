// Command get-seat-history is the Lambda function of GET /api/subscription/seat-history.
package main

import (
	"log"
	_ "time/tzdata" // days are days in the organization's time zone

	"proportal/internal/app"
	"proportal/internal/httpapi"
)

func main() {
	if err := app.RunLambda(httpapi.GetSeatHistory, nil); err != nil {
		log.Fatal(err)
	}
}
