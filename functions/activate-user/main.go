// Command activate-user is the Lambda function of POST /api/users/{userId}/activate.
package main

import (
	"log"

	"proportal/internal/app"
)

func main() {
	if err := app.RunLambda("ActivateUser", nil); err != nil {
		log.Fatal(err)
	}
}
