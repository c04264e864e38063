// Command deactivate-user is the Lambda function of POST /api/users/{userId}/deactivate.
package main

import (
	"log"

	"proportal/internal/app"
	"proportal/internal/httpapi"
)

func main() {
	if err := app.RunLambda(httpapi.DeactivateUser, nil); err != nil {
		log.Fatal(err)
	}
}
