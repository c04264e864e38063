// Command set-keep-seat is the Lambda function of PUT /api/users/{userId}/keep-seat.
package main

import (
	"log"

	"proportal/internal/app"
	"proportal/internal/httpapi"
)

func main() {
	if err := app.RunLambda(httpapi.SetKeepSeat, nil); err != nil {
		log.Fatal(err)
	}
}
