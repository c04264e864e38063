// Command deactivate-idle-seats is the Lambda function of POST /api/idle-seats/deactivate.
package main

import (
	"log"

	"proportal/internal/app"
	"proportal/internal/httpapi"
)

func main() {
	if err := app.RunLambda(httpapi.DeactivateIdleSeats, nil); err != nil {
		log.Fatal(err)
	}
}
