// Command deactivate-user is the Lambda function of POST /api/users/{userId}/deactivate.
package main

import (
	"log"

	"proportal/internal/app"
)

func main() {
	if err := app.RunLambda("DeactivateUser", nil); err != nil {
		log.Fatal(err)
	}
}
