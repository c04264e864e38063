// Command list-idle-seats is the Lambda function of GET /api/idle-seats.
package main

import (
	"log"

	"proportal/internal/app"
	"proportal/internal/httpapi"
)

func main() {
	if err := app.RunLambda(httpapi.ListIdleSeats, nil); err != nil {
		log.Fatal(err)
	}
}
