// Command grant-admin is the Lambda function of POST /api/users/{userId}/admin.
package main

import (
	"log"

	"proportal/internal/app"
)

func main() {
	if err := app.RunLambda("GrantAdmin", nil); err != nil {
		log.Fatal(err)
	}
}
