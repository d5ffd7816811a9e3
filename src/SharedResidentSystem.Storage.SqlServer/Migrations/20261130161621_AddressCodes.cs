using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SharedResidentSystem.Storage.SqlServer.Migrations
{
    /// <inheritdoc />
    public partial class AddressCodes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "AddressAddressCode",
                table: "PersonVersions",
                type: "nvarchar(11)",
                maxLength: 11,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "AddressLotCode",
                table: "PersonVersions",
                type: "nvarchar(20)",
                maxLength: 20,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "ConfirmedDestinationAddressCode",
                table: "PersonVersions",
                type: "nvarchar(11)",
                maxLength: 11,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "ConfirmedDestinationLotCode",
                table: "PersonVersions",
                type: "nvarchar(20)",
                maxLength: 20,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "DestinationAddressCode",
                table: "PersonVersions",
                type: "nvarchar(11)",
                maxLength: 11,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "DestinationLotCode",
                table: "PersonVersions",
                type: "nvarchar(20)",
                maxLength: 20,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "LastRegisteredAddressAddressCode",
                table: "PersonVersions",
                type: "nvarchar(11)",
                maxLength: 11,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "LastRegisteredAddressLotCode",
                table: "PersonVersions",
                type: "nvarchar(20)",
                maxLength: 20,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "PreviousAddressAddressCode",
                table: "PersonVersions",
                type: "nvarchar(11)",
                maxLength: 11,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "PreviousAddressLotCode",
                table: "PersonVersions",
                type: "nvarchar(20)",
                maxLength: 20,
                nullable: false,
                defaultValue: "");

            migrationBuilder.CreateIndex(
                name: "IX_PersonVersions_AddressAddressCode",
                table: "PersonVersions",
                column: "AddressAddressCode");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_PersonVersions_AddressAddressCode",
                table: "PersonVersions");

            migrationBuilder.DropColumn(
                name: "AddressAddressCode",
                table: "PersonVersions");

            migrationBuilder.DropColumn(
                name: "AddressLotCode",
                table: "PersonVersions");

            migrationBuilder.DropColumn(
                name: "ConfirmedDestinationAddressCode",
                table: "PersonVersions");

            migrationBuilder.DropColumn(
                name: "ConfirmedDestinationLotCode",
                table: "PersonVersions");

            migrationBuilder.DropColumn(
                name: "DestinationAddressCode",
                table: "PersonVersions");

            migrationBuilder.DropColumn(
                name: "DestinationLotCode",
                table: "PersonVersions");

            migrationBuilder.DropColumn(
                name: "LastRegisteredAddressAddressCode",
                table: "PersonVersions");

            migrationBuilder.DropColumn(
                name: "LastRegisteredAddressLotCode",
                table: "PersonVersions");

            migrationBuilder.DropColumn(
                name: "PreviousAddressAddressCode",
                table: "PersonVersions");

            migrationBuilder.DropColumn(
                name: "PreviousAddressLotCode",
                table: "PersonVersions");
        }
    }
}
