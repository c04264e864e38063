// Command revoke-admin is the Lambda function of DELETE /api/users/{userId}/admin.
package main

import (
	"log"

	"proportal/internal/app"
)

func main() {
	if err := app.RunLambda("RevokeAdmin", nil); err != nil {
		log.Fatal(err)
	}
}
