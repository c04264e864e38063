// Command logout is the Lambda function of POST /api/auth/logout.
package main

import (
	"log"

	"proportal/internal/app"
	"proportal/internal/httpapi"
)

func main() {
	if err := app.RunLambda(httpapi.Logout, nil); err != nil {
		log.Fatal(err)
	}
}
