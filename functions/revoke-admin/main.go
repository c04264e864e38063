// Command revoke-admin is the Lambda function of DELETE /api/users/{userId}/admin.
package main

import (
	"log"

	"proportal/internal/app"
	"proportal/internal/httpapi"
)

func main() {
	if err := app.RunLambda(httpapi.RevokeAdmin, nil); err != nil {
		log.Fatal(err)
	}
}
