// Command activate-user is the Lambda function of POST /api/users/{userId}/activate.
package main

import (
	"log"

	"proportal/internal/app"
	"proportal/internal/httpapi"
)

func main() {
	if err := app.RunLambda(httpapi.ActivateUser, nil); err != nil {
		log.Fatal(err)
	}
}
