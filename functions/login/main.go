// Command login is the Lambda function of POST /api/auth/login.
package main

import (
	"log"

	"proportal/internal/app"
	"proportal/internal/httpapi"
)

func main() {
	if err := app.RunLambda(httpapi.Login, nil); err != nil {
		log.Fatal(err)
	}
}
